// Written for pm2's wait_ready: calls process.send('ready') only once the file ready.gate exists
// (the test creates it), well after it started.
const fs = require('fs');
const path = require('path');
const gate = path.join(__dirname, 'ready.gate');
const poll = setInterval(() => {
  if (!fs.existsSync(gate)) return;
  clearInterval(poll);
  process.send('ready');
  console.log('sent ready');
}, 50);
setInterval(() => {}, 60_000);
