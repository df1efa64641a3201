// pm2's shutdown_with_message: the app is asked to stop with process.send('shutdown').
module.exports = {
  apps: [{ name: 'polite', script: './on-shutdown.js', shutdown_with_message: true, kill_timeout: 20000 }],
};
