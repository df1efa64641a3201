// Written for pm2's shutdown_with_message: cleans up on the message 'shutdown', not on a signal.
process.on('message', (message) => {
  if (message !== 'shutdown') return;
  console.log('shutdown message received, closing');
  setTimeout(() => process.exit(0), 100);
});
console.log('polite worker up');
setInterval(() => {}, 60_000);
