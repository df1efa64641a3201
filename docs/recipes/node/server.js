// An unmodified Node server: listens on PORT. In listen: socket zdm's preload turns that into fd 3
// and drains on SIGTERM; behind the proxy zdm drains it before the signal.
const http = require('http');
http.createServer((req, res) => res.end(`node pid ${process.pid}\n`))
  .listen(process.env.PORT, () => console.log('listening on', process.env.PORT));
