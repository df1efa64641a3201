// apps: as one app instead of a list.
module.exports = { apps: { name: 'apps-object', script: './worker.js' } };
