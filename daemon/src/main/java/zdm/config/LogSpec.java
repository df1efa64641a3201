package zdm.config;

/**
 * The app's log files.
 *
 * @param logMaxBytes an app log file rotates when a line would take it past this size; 0 = never
 * @param logMaxFiles how many rotated files of each log file are kept
 * @param logFiles    files the app's output is also written to (pm2's out_file, error_file, log_file); null: none
 */
public record LogSpec(Long logMaxBytes, Integer logMaxFiles, LogFiles logFiles) {
    public static final long DEFAULT_LOG_MAX_BYTES = 10L << 20;
    public static final int DEFAULT_LOG_MAX_FILES = 5;

    /** Missing values (a spec stored by an older zdm) take their defaults here. */
    public LogSpec {
        if (logMaxBytes == null || logMaxBytes < 0) logMaxBytes = DEFAULT_LOG_MAX_BYTES;
        if (logMaxFiles == null || logMaxFiles < 0) logMaxFiles = DEFAULT_LOG_MAX_FILES;
    }
}
