// pm2 names an app after its script: this one is "worker".
module.exports = {
  apps: [{ script: './worker.js' }],
};
