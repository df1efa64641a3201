package zdm.supervisor;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import zdm.config.AppSpec;
import zdm.config.Cron;
import zdm.config.LogFiles;
import zdm.config.Secrets;
import zdm.protocol.SpecView;

/** Turns a spec into what {@code zdm describe} shows of it: the one place config types meet the protocol's view. */
public final class SpecViews {
    private SpecViews() {}

    /**
     * @param showSecrets false: secret-looking env values are masked here, in the daemon
     * @param outLog      the app's stdout log, beside which {@code log_file: true} writes
     * @param now         the daemon's wall clock, in the zone cron_restart ticks in
     */
    public static SpecView of(AppSpec spec, boolean showSecrets, Path outLog, ZonedDateTime now) {
        var s = showSecrets ? spec : Secrets.masked(spec);
        var p = s.process();
        var n = s.network();
        var r = s.restart();
        var rl = s.reload();
        return new SpecView(s.source(), p.command(), p.cwd(), s.instances(), n.port(), n.listen().key(),
                p.stopSignal().name(), p.shutdownWithMessage(), p.killTimeoutMs(), s.health().listenTimeoutMs(),
                r.autorestart(), r.restartDelayMs(), r.restartDelayMaxMs(), r.maxRestarts(), r.minUptimeMs(),
                rl.minReadyMs(), r.stopExitCodes(), r.maxMemoryBytes(), s.autostart(), rl.cronRestart(),
                cronNext(rl.cronRestart(), now), rl.watch(), rl.ignoreWatch(), rl.watchDelayMs(), p.fullEnv(),
                p.fullEnv().containsValue(Secrets.MASK), logFiles(s.logs().logFiles(), outLog, s.name()),
                s.logs().logMaxBytes(), s.logs().logMaxFiles());
    }

    private static SpecView.LogFilesView logFiles(LogFiles files, Path outLog, String app) {
        if (files == null) return null;
        String combined = files.combined();
        if (LogFiles.IN_ZDM_LOGS.equals(combined) && outLog != null) combined = outLog.resolveSibling(app + ".log").toString();
        return new SpecView.LogFilesView(files.out(), files.err(), combined, files.merge(), files.dateFormat());
    }

    private static Long cronNext(String expression, ZonedDateTime now) {
        if (expression == null) return null;
        try {
            var next = Cron.parse(expression).next(now);
            return next == null ? null : next.toInstant().toEpochMilli();
        } catch (Cron.Invalid e) {
            return null; // validated when the file was loaded
        }
    }
}
