// Says one line on each stream, naming its worker, then keeps running (for the log file options).
console.log(`out ${process.env.NODE_APP_INSTANCE}`);
console.error(`err ${process.env.NODE_APP_INSTANCE}`);
setInterval(() => {}, 60_000);
