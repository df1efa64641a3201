// Test HTTP worker for the proxy's client-facing behaviour; node's own http server is the reference.
//   any path      reads the whole request body, then 200 "<method> <url> <body length>"
//   GET /close    the same, with Connection: close (the server ends the connection after it)
//   GET /hang     never answered; counted in /gone once its client has gone
//   GET /gone     200 with the number of /hang requests whose client went away
//   GET /stream   200, a body without end, sent as fast as the connection takes it; counted in /cut once its
//                 connection closes
//   GET /cut      200 with the number of /stream responses whose connection closed
const http = require('http');
let gone = 0;
let cut = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/hang') {
    res.on('close', () => { if (!res.writableEnded) gone++; });
    return;
  }
  if (req.url === '/gone') return res.end(String(gone));
  if (req.url === '/cut') return res.end(String(cut));
  if (req.url === '/stream') {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let open = true;
    res.on('close', () => { open = false; cut++; });
    const more = () => { while (open && res.write(chunk)) { /* until the connection is full */ } };
    res.on('drain', more);
    return more();
  }
  let length = 0;
  req.on('data', (d) => { length += d.length; });
  req.on('end', () => {
    const body = `${req.method} ${req.url} ${length}\n`;
    const headers = { 'content-length': Buffer.byteLength(body) };
    if (req.url === '/close') headers.connection = 'close';
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
