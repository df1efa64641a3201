// stop_exit_codes: an exit with one of these codes is not restarted.
module.exports = {
  apps: [{ name: 'job', script: './exits.js', stop_exit_codes: [0], min_uptime: 100 }],
};
