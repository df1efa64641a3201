// pm2's log_type: 'json' writes each line of the app's files as a JSON object; disable_logs: true keeps
// no log file at all for the app.
module.exports = {
  apps: [
    {
      name: 'jsonlog', script: './talker.js', log_type: 'json',
      out_file: './logs/jsonlog-out.log', error_file: './logs/jsonlog-err.log',
    },
    { name: 'unlogged', script: './talker.js', disable_logs: true, out_file: './logs/unlogged.log' },
  ],
};
