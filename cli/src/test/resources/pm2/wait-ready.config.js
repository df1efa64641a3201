// pm2's wait_ready: a worker is online when it calls process.send('ready'), not when it starts.
module.exports = {
  apps: [{ name: 'waits', script: './ready-later.js', wait_ready: true, listen_timeout: 60000 }],
};
