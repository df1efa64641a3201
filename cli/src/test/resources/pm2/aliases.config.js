// pm2's other spellings of its options.
module.exports = {
  apps: [{
    name: 'aliased',
    exec: './worker.js',
    output: './logs/aliased-out.log',
    err_file: './logs/aliased-err.log',
    interpreterArgs: '--max-old-space-size=128',
  }],
};
