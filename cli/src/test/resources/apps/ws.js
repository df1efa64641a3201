// Test worker: an HTTP server with a WebSocket endpoint (npm ws) that echoes "<pid>:<message>".
const http = require('http');
const { WebSocketServer } = require('ws');
const server = http.createServer((req, res) => res.end(`pid ${process.pid}\n`));
new WebSocketServer({ server }).on('connection', (ws) => ws.on('message', (m) => ws.send(`${process.pid}:${m}`)));
server.listen(process.env.PORT, () => console.log('listening'));
