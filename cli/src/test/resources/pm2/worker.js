// A pm2-style background worker: no port, runs until stopped.
console.log(`worker ${process.pid} up`);
setInterval(() => {}, 60_000);
