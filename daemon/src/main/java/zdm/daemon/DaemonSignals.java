package zdm.daemon;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import zdm.log.DaemonLog;
import zdm.proc.Posix;
import zdm.supervisor.Supervisor;

/** The daemon's signal handling: TERM and INT stop it gracefully, HUP reloads every app. */
final class DaemonSignals {
    private DaemonSignals() {}

    /**
     * SIGTERM/SIGINT: a graceful stop, after which the daemon exits normally (code 0, not the JVM's
     * 143 for a signal, so systemd and container runtimes see a clean stop). The shutdown hook
     * covers any other way the JVM goes down (System.exit from elsewhere).
     */
    static void install(CountDownLatch stopRequested, CountDownLatch stopped, Supervisor supervisor) {
        // Started under nohup (or as a shell's background job) the daemon inherits HUP (or INT) ignored, and the
        // JVM then quietly declines to handle it: 'kill -HUP' would reload nothing. The workers get it back too.
        for (var signal : new zdm.proc.Signal[] {zdm.proc.Signal.SIGHUP, zdm.proc.Signal.SIGINT, zdm.proc.Signal.SIGTERM}) {
            if (zdm.sys.Processes.stopIgnoring(signal.number())) DaemonLog.info(signal + " was ignored when the daemon started; handled now");
        }
        for (var name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                if (stopRequested.getCount() > 0) DaemonLog.info("SIG" + name + ": graceful stop");
                stopRequested.countDown();
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            try {
                stopped.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException ignored) {
                // the JVM is going down anyway
            }
        }, "zdm-shutdown"));
        // SIGHUP: a rolling reload of every app, as the seed's cluster master did for its one app.
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.ofVirtual().name("zdm-sighup").start(() -> {
            DaemonLog.info("SIGHUP: rolling reload of every app");
            var outcome = supervisor.reload("all", Posix.getuid(), line -> { });
            DaemonLog.info("SIGHUP reload: " + switch (outcome) {
                case zdm.protocol.Response.Failed f -> "failed: " + f.message();
                case zdm.protocol.Response.Apps a -> a.message();
                case zdm.protocol.Response.Done d -> d.message();
                default -> outcome.toString();
            });
        }));
    }
}
