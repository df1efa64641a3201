// The entry point node finds when pm2's script: is this directory.
require('../worker.js');
