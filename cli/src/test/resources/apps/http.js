// A small HTTP server in the seed's world. zdm gives each worker a private PORT and owns the
// public port itself; the worker only has to listen on PORT and stop cleanly on SIGTERM.
const http = require('http');

const port = Number(process.env.PORT || 3000);
const worker = process.env.ZDM_WORKER_ID || '?';
const greeting = process.env.GREETING || 'hello';

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`${greeting} from worker ${worker} (pid ${process.pid})\n`);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`worker ${worker} listening on 127.0.0.1:${port}`);
});

// Graceful stop: finish in-flight requests, then exit. zdm sends SIGKILL after kill_timeout.
process.on('SIGTERM', () => {
  console.log(`worker ${worker} stopping`);
  server.close(() => process.exit(0));
  server.closeIdleConnections && server.closeIdleConnections();
});
