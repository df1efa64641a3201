// Does its job, then exits with the code given in EXIT_CODE.
console.log('job done');
setTimeout(() => process.exit(Number(process.env.EXIT_CODE || 0)), 300);
