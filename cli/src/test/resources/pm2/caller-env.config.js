// pm2 users configure per deploy through the environment of the command: DEPLOY_COLOUR=blue pm2 start ...
module.exports = {
  apps: [{ name: 'deploy-' + (process.env.DEPLOY_COLOUR || 'unset'), script: './worker.js' }],
};
