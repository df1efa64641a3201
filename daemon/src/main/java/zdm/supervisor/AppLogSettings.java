package zdm.supervisor;

import java.nio.file.Path;
import zdm.config.AppSpec;
import zdm.config.LogFiles;
import zdm.proc.AppLogs;

/**
 * Hands an app's log keys to {@link AppLogs}: the rotation limits, whether a log file is kept at all, and the
 * files the user named for its output. Apart from {@link App} because {@link Restore} needs the same settings
 * to write the previous daemon's unread output before the apps exist again.
 */
final class AppLogSettings {
    private AppLogSettings() {}

    static void apply(AppLogs logs, AppSpec spec) {
        if (logs == null) return;
        logs.limits(spec.name(), spec.logs().logMaxBytes(), spec.logs().logMaxFiles());
        var files = spec.logs().logFiles();
        logs.keep(spec.name(), files == null || !files.disabled());
        if (files == null) {
            logs.copies(spec.name(), null, null, null, true, null);
            return;
        }
        Path combined = files.combined() == null ? null
                : files.combined().equals(LogFiles.IN_ZDM_LOGS) ? logs.defaultCombined(spec.name())
                : Path.of(files.combined());
        logs.copies(spec.name(), files.out() == null ? null : Path.of(files.out()),
                files.err() == null ? null : Path.of(files.err()), combined, files.merge(), files.dateFormat(),
                files.json());
    }
}
