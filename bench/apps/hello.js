// The benchmark app: answers every request with 200 "hello\n" on 127.0.0.1:$PORT.
// The same file runs under every system bench/run measures: alone, as a worker of the seed's
// cluster master and of pm2's cluster mode (there node's cluster module shares PORT between the
// workers), and as a zdm worker (there PORT is the worker's private port behind zdm's proxy).
//
// It stops gracefully, so that a failed request during a reload is the process manager's doing
// and not the app's: on SIGTERM or SIGINT (pm2's default stop signal), or when a cluster master
// disconnects it (the seed's way), it stops accepting, answers the requests still coming on open
// keep-alive connections with `Connection: close` (so clients reconnect, to another worker),
// closes connections that stay idle, and exits once none is left.
const http = require('http');
const net = require('net');

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`hello.js: PORT must be a port number, got '${process.env.PORT}'`);
  process.exit(2);
}

let draining = false;

const server = http.createServer((req, res) => {
  if (draining) res.setHeader('connection', 'close');
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello\n');
});

// WHY replace close(): node's http close() (since v19) immediately destroys keep-alive connections
// that are idle at that instant, which races with a request the client is sending on them right then
// (the client sees a reset). Closing only the listener and letting busy connections end after their
// next response avoids that race; what is still idle after a grace period really is idle.
const IDLE_GRACE_MS = 1000;
const HARD_EXIT_MS = 5000;
server.close = function close(callback) {
  if (!draining) {
    draining = true;
    setTimeout(() => server.closeIdleConnections(), IDLE_GRACE_MS).unref();
    setTimeout(() => process.exit(0), HARD_EXIT_MS).unref();
  }
  return net.Server.prototype.close.call(server, callback);
};

function shutdown() {
  if (draining) return;
  server.close(() => process.exit(0));
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// pm2 asks by message instead of a signal where signals don't work (shutdown_with_message, Windows).
process.on('message', (message) => { if (message === 'shutdown') shutdown(); });

// The line zdm's socket mode waits for (ready: {log: "listening on"}); harmless elsewhere.
server.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
