// interpreter: 'none' with a program found on the PATH.
module.exports = {
  apps: [{
    name: 'py',
    script: 'python3',
    args: '-m http.server 3001 --bind 127.0.0.1',
    interpreter: 'none',
  }],
};
