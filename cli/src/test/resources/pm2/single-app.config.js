// The file is one app.
module.exports = { name: 'single', script: './worker.js' };
