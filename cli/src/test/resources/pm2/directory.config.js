// A directory as script: node runs its index.js (or package.json's main).
module.exports = {
  apps: [{ name: 'api', script: './api' }],
};
