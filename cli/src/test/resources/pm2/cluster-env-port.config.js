// pm2's cluster habit: every worker listens on process.env.PORT.
module.exports = {
  apps: [{
    name: 'web',
    script: './server.js',
    instances: 2,
    exec_mode: 'cluster',
    env: { PORT: 3000 },
  }],
};
