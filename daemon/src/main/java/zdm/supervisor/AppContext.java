package zdm.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import zdm.config.AppSpec;
import zdm.metrics.AppCounters;
import zdm.proc.AppLogs;
import zdm.proc.OutputCapture;
import zdm.proc.ProcessIdentity;

/**
 * What an {@link App} needs from the daemon around it: the logs its workers write to and the
 * store it reports to. Called on the supervision loop only.
 */
interface AppContext {
    AppLogs logs();

    /** Where workers' stdout and stderr go (files, so a worker never depends on the daemon); null = pipes. */
    OutputCapture capture();

    /** The Node preload module for listen: socket workers, extracted into the home (see NodePreload). */
    Path nodePreload() throws IOException;

    /** zdm's home: never watched for an app's {@code watch:}, whose reloads would otherwise feed on zdm's own writes. */
    Path home();

    /** Where the NOTIFY_SOCKETs of workers are bound (see NotifyDir); prepared on first use. */
    Path notifyDir() throws IOException;

    /** Appends to the events table (and the daemon log). */
    void event(String app, Integer worker, String kind, String detail);

    /** Saves the slot's serving worker (state, pid, counters) and the slot's second process, if any (may be null). */
    void persist(String app, Worker worker, ProcessIdentity other);

    /** Saves an app's spec (a reload that failed restores the previous one). */
    void saveSpec(AppSpec spec);

    /** Remembers where an app without port: listens ({@link zdm.config.NetworkSpec#learnsPort}), for its next start. */
    void rememberPort(String app, zdm.net.ListenAddress where);

    /** The app's monotonic counters for the metrics endpoint. */
    AppCounters counters(String app);

    /** The worker slot is gone (scaled down or app deleted). */
    void forget(String app, Worker worker);
}
