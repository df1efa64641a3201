// min_uptime longer than listen_timeout, as in pm2's wait-ready example.
module.exports = {
  apps: [{ name: 'steady', script: './worker.js', min_uptime: 2000, listen_timeout: 1000 }],
};
