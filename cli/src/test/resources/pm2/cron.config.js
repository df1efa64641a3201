// cron_restart: a zero-downtime reload at each tick (6 fields: seconds first).
module.exports = {
  apps: [{ name: 'nightly', script: './worker.js', cron_restart: '*/3 * * * * *', min_uptime: 500 }],
};
