// Test HTTP worker. Listens on PORT (given by zdm), answers with its worker id and pid.
//   GET /slow?ms=N   answers after N ms (an in-flight request during a drain)
//   GET /peer        answers with the client's port as this process sees it (a proxy shows its own)
//   START_DELAY_MS   wait this long before listening (a slow boot)
//   BROKEN=1         never listen and exit after a moment (a release that fails readiness)
const http = require('http');
const port = Number(process.env.PORT);
const worker = process.env.ZDM_WORKER_ID || '?';

if (process.env.BROKEN === '1') {
  console.error('broken build: cannot start (worker ' + worker + ')');
  setTimeout(() => process.exit(1), 200);
} else {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const reply = () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`worker ${worker} pid ${process.pid}\n`);
    };
    if (url.pathname === '/slow') {
      console.log('slow request started');
      setTimeout(reply, Number(url.searchParams.get('ms') || 1000));
    }
    else if (url.pathname === '/peer') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`peer ${req.socket.remotePort} pid ${process.pid}\n`);
    }
    else reply();
  });
  setTimeout(() => server.listen(port, '127.0.0.1', () => console.log(`worker ${worker} listening on ${port}`)),
      Number(process.env.START_DELAY_MS || 0));
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
