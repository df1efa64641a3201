// autostart: false registers an app without starting it.
module.exports = {
  apps: [
    { name: 'on-demand', script: './worker.js', autostart: false },
    { name: 'always', script: './worker.js' },
  ],
};
