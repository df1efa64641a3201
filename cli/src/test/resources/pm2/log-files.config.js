// pm2's log file options: out_file, error_file and the combined log_file; one file per worker in
// cluster mode (pm2 puts the id before .log), one for the app with merge_logs; time: true and
// log_date_format start each line with the date; /dev/null and NULL discard.
module.exports = {
  apps: [
    {
      name: 'logged', script: './talker.js', instances: 2, exec_mode: 'cluster',
      out_file: './logs/logged-out.log', error_file: './logs/logged-error.log',
      log_file: './logs/logged-combined.log', time: true,
    },
    {
      name: 'merged', script: './talker.js', instances: 2, merge_logs: true,
      out_file: './logs/merged.log', error_file: './logs/merged.log', log_date_format: 'YYYY-MM-DD HH:mm Z',
    },
    { name: 'quiet', script: './talker.js', out_file: '/dev/null', error_file: 'NULL' },
  ],
};
