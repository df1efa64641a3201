// node_args with an extensionless script: run by node, as in pm2.
module.exports = {
  apps: [{
    name: 'serve',
    script: './bin/serve',
    node_args: '--max-old-space-size=192',
    env: { PORT: 3002 },
  }],
};
