// Test worker: an HTTP server with a WebSocket endpoint (npm ws) that echoes "<pid>:<message>", and
// GET /events, server-sent events that never end by themselves ("data: <pid>" every 200 ms).
const http = require('http');
const { WebSocketServer } = require('ws');
const server = http.createServer((req, res) => {
  if (req.url === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const tick = setInterval(() => res.write(`data: ${process.pid}\n\n`), 200);
    res.on('close', () => clearInterval(tick));
    return;
  }
  res.end(`pid ${process.pid}\n`);
});
new WebSocketServer({ server }).on('connection', (ws) => ws.on('message', (m) => ws.send(`${process.pid}:${m}`)));
server.listen(process.env.PORT, () => console.log('listening'));
