// Test HTTP worker. Listens on PORT (given by zdm), answers with its worker id and pid.
//   GET /slow?ms=N   answers after N ms (an in-flight request during a drain)
//   GET /hold?file=F answers once the file F exists (an in-flight request that ends when the test says so)
//   GET /peer        answers with the client's port as this process sees it (a proxy shows its own)
//   START_DELAY_MS   wait this long before listening (a slow boot)
//   START_HOLD_FILE  wait until this file exists before listening (a boot that ends when the test says so)
//   BROKEN=1         never listen and exit after a moment (a release that fails readiness)
//   CRASH_AFTER_MS   listen, then log an error and exit 1 this long after (a release that passes readiness, then dies)
//   GROW_MB_PER_S    allocate and touch this many MiB per second, forever (a leak for max_memory_restart)
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
    else if (url.pathname === '/hold') {
      console.log('slow request started');
      const file = url.searchParams.get('file');
      const poll = setInterval(() => {
        if (require('fs').existsSync(file)) { clearInterval(poll); reply(); }
      }, 50);
    }
    else if (url.pathname === '/peer') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`peer ${req.socket.remotePort} pid ${process.pid}\n`);
    }
    else reply();
  });
  const listen = () => server.listen(port, '127.0.0.1', () => {
    console.log(`worker ${worker} listening on ${port}`);
    if (process.env.CRASH_AFTER_MS) {
      setTimeout(() => {
        console.error('cannot reach the database: connect ECONNREFUSED 127.0.0.1:5432 (worker ' + worker + ')');
        process.exit(1);
      }, Number(process.env.CRASH_AFTER_MS));
    }
  });
  const hold = process.env.START_HOLD_FILE;
  const whenReleased = () => {
    if (!hold || require('fs').existsSync(hold)) listen();
    else setTimeout(whenReleased, 50);
  };
  setTimeout(whenReleased, Number(process.env.START_DELAY_MS || 0));
  if (process.env.GROW_MB_PER_S) {
    const leak = [];
    setInterval(() => leak.push(Buffer.alloc(Number(process.env.GROW_MB_PER_S) << 17, 1)), 125);
  }
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
