// A pm2 cluster-mode app: zdm gives it no port; every worker listens on process.env.PORT || APP_PORT itself,
// as `pm2 start app.js -i 2` apps do (APP_PORT stands for the literal 3000 such apps have, on a free port).
const http = require('http');
const port = Number(process.env.PORT || process.env.APP_PORT || 3000);
http.createServer((req, res) => res.end(`worker ${process.env.NODE_APP_INSTANCE} pid ${process.pid}\n`))
  .listen(port, process.env.APP_HOST, () => console.log(`listening on ${port}`));
