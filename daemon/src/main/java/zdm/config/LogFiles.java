package zdm.config;

/**
 * The log files an app's output is also written to, besides zdm's own logs (pm2's {@code out_file},
 * {@code error_file}, {@code log_file}, {@code merge_logs}, {@code log_date_format}, {@code time}).
 *
 * @param out        absolute path for stdout, {@code /dev/null}, or null for none
 * @param err        absolute path for stderr, {@code /dev/null}, or null for none
 * @param combined   absolute path for both streams, {@link #IN_ZDM_LOGS}, or null for none
 * @param merge      one file for all workers; false: one per worker, pm2's {@code -<id>} before {@code .log}
 * @param dateFormat a day.js format that starts each line ({@code <date>: }), or null for the bare text
 * @param json       pm2's {@code log_type: json}: each line of these files is a JSON object (message, timestamp,
 *                   type, process_id, app_name), the timestamp in {@code dateFormat} or ISO 8601 UTC
 * @param disabled   pm2's {@code disable_logs}: no file at all is written for the app, zdm's own logs included
 */
public record LogFiles(String out, String err, String combined, boolean merge, String dateFormat, boolean json,
                       boolean disabled) {
    /** Text lines, logs kept. */
    public LogFiles(String out, String err, String combined, boolean merge, String dateFormat) {
        this(out, err, combined, merge, dateFormat, false, false);
    }

    /** {@code log_file: true}: {@code $ZDM_HOME/logs/<app>.log}, as pm2 puts it in its own logs directory. */
    public static final String IN_ZDM_LOGS = "";
    /** The format pm2's {@code time: true} means. */
    public static final String PM2_TIME = "YYYY-MM-DDTHH:mm:ss";
}
