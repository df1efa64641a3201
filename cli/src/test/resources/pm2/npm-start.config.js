// npm scripts: pm2 runs `npm start` for script: 'npm', args: 'start'.
module.exports = {
  apps: [{ name: 'npm-app', script: 'npm', args: 'start', env: { PORT: 3003 } }],
};
