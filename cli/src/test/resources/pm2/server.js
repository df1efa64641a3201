// A pm2-style HTTP app: listens on process.env.PORT, says which process answered.
const http = require('http');
http.createServer((req, res) => res.end(`pid ${process.pid}\n`))
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`listening on ${process.env.PORT}`));
