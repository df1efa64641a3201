// watch: reload when files change, a while after the last change.
module.exports = {
  apps: [{
    name: 'dev',
    script: './worker.js',
    watch: ['src'],
    ignore_watch: ['*.tmp'],
    watch_delay: 300,
    min_uptime: 500,
  }],
};
