package zdm.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import zdm.log.DaemonLog;
import zdm.proc.AppLogs;
import zdm.proc.ChildReaper;
import zdm.proc.OutputCapture;
import zdm.proc.Posix;
import zdm.proc.PrivateHome;
import zdm.proc.ResourceSampler;
import zdm.protocol.Paths;
import zdm.server.ControlServer;
import zdm.server.LogStreamer;
import zdm.server.RequestHandler;
import zdm.store.Store;
import zdm.store.StoreException;
import zdm.supervisor.Restore;
import zdm.supervisor.SupervisionLoop;
import zdm.supervisor.Supervisor;

/**
 * {@code zdm daemon}: runs the daemon in the foreground until SIGTERM, SIGINT or {@code zdm kill}.
 * Start-up order matters: lock the home (one daemon per home), open the store, stop whatever a
 * previous daemon left running, restart the apps that should run, and only then answer clients.
 */
public final class DaemonMain {
    private final Host host;
    private final SdNotify systemd = SdNotify.fromEnvironment();

    private DaemonMain(Host host) {
        this.host = host;
    }

    /**
     * What runs the daemon in its JVM: {@code zdm daemon} ({@link #NONE}) or {@code zdm run}, which
     * adds an ecosystem file and logs on stdout. Called on the daemon's main thread.
     */
    public interface Host {
        /** Before any worker is spawned (restore included). */
        default void beforeRestore() {}

        /**
         * The control socket serves and signals are handled. Returns what must finish before the
         * daemon counts as ready for systemd (e.g. applying a file), besides the apps settling.
         */
        default java.util.concurrent.CompletableFuture<?> serving(Supervisor supervisor, AppLogs logs,
                                                                  zdm.metrics.MetricsEndpoint metrics, Runnable requestStop) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        /** The run file's {@code dashboard:} block, applied once the control socket serves; null: none. */
        default zdm.config.DashboardSetting dashboard() {
            return null;
        }

        /** What runs the CLI's commands for its fast path (zdm.cli.DaemonCommands); NONE: the clients do. */
        default zdm.server.CommandRunner commands() {
            return zdm.server.CommandRunner.NONE;
        }

        /** A graceful stop begins; the workers are still as they were. */
        default void stopping(Supervisor supervisor) {}

        /** The process exit code once every worker has stopped. */
        default int exitCode() {
            return 0;
        }
    }

    public static final Host NONE = new Host() {};

    public static int runForeground(Paths paths) {
        return runForeground(paths, NONE);
    }

    public static int runForeground(Paths paths, Host host) {
        try {
            return new DaemonMain(host).run(paths);
        } catch (StartupException e) {
            System.err.println("zdm daemon: " + e.getMessage());
            return 1;
        }
    }

    private int run(Paths paths) throws StartupException {
        Posix.umask(0077); // every file and socket we create is ours alone
        prepareHome(paths);
        try (var lockChannel = openLock(paths); var lock = acquire(lockChannel, paths)) {
            PrivateHome.writeString(paths.pidFile(), ProcessHandle.current().pid() + "\n");
            return serve(paths);
        } catch (IOException e) {
            throw new StartupException("cannot use " + paths.home() + ": " + e.getMessage());
        }
    }

    private int serve(Paths paths) throws StartupException, IOException {
        Store store = StoreStartup.open(paths);
        var stopRequested = new CountDownLatch(1);
        var stopped = new CountDownLatch(1);
        var info = new DaemonInfo(DaemonInfo.VERSION, ProcessHandle.current().pid(), System.currentTimeMillis(), paths.home().toString());
        try (store; var logs = new AppLogs(paths::outLog, paths::errLog); var loop = new SupervisionLoop();
             var capture = new OutputCapture(paths.logs().resolve("capture"))) {
            var supervisor = new Supervisor(paths, store, logs, capture, new ResourceSampler(), loop);
            // Lines dropped because a log file cannot be written (a full disk): one event when it starts, one with
            // the count when it ends. Written off the capture thread; an event that cannot be saved either is logged.
            logs.onTrouble((app, message) -> Thread.ofVirtual().start(() -> {
                DaemonLog.warn(app + ": " + message);
                try {
                    store.addEvent(app, null, "log-dropped", message, null);
                } catch (StoreException e) {
                    // the disk is full for the store too: daemon.log has it (if it can be written)
                }
            }));
            ControlServer server;
            zdm.metrics.MetricsEndpoint metrics = null;
            var dashboard = new zdm.dashboard.DashboardServer(paths);
            try {
                server = ControlServer.bind(paths);
            } catch (IOException e) {
                throw new StartupException(e.getMessage());
            }
            try (server) {
                // Before the first spawn: a worker's descendants that lose their parent come to us, to be
                // ended with their worker (ProcessTree) and reaped, instead of escaping to init.
                if (!ChildReaper.adoptOrphans(r -> DaemonLog.info("reaped orphan pid " + r.pid() + " (" + r.describe() + ")"))) {
                    DaemonLog.warn("could not become a child subreaper; descendants that leave a worker's session"
                            + " and lose their parent go to init and are not stopped with their app");
                }
                zdm.proc.StrayWorkers.markHome(paths.home()); // before the first spawn: Restore finds strays by it
                host.beforeRestore();
                systemd.status("restoring apps");
                int leftovers = Restore.run(supervisor);
                if (leftovers > 0) DaemonLog.info("found " + leftovers + " worker(s) left behind by a previous daemon (see above for each)");
                metrics = new zdm.metrics.MetricsEndpoint(paths.home(), supervisor::metrics);
                metrics.restore();
                var handler = new RequestHandler(supervisor, info, new LogStreamer(logs, supervisor::appNames),
                        stopRequested::countDown, metrics, dashboard, host.commands());
                // Before the first answer: a client that has seen the daemon answer (zdm start, a test's ping) may
                // send SIGHUP or SIGTERM next, and one that came before the handlers would be lost (HUP is ignored
                // when the daemon was started detached) or end the JVM without the graceful stop.
                DaemonSignals.install(stopRequested, stopped, supervisor);
                server.serve(handler);
                HeapReturn.start();
                dashboard.restore(); // after serve: the page asks the daemon through the control socket
                if (host.dashboard() != null) {
                    String error = dashboard.configure(host.dashboard());
                    if (error != null) DaemonLog.warn(error);
                }
                DaemonLog.info("zdm daemon " + info.version() + " pid " + info.pid() + " serving " + paths.socket());
                StoreStartup.daemonEvent(store, "daemon-started", "zdm " + info.version() + ", pid " + info.pid());
                var hostReady = host.serving(supervisor, logs, metrics, stopRequested::countDown);
                notifyReadyWhenSettled(hostReady.thenCompose(x -> supervisor.whenSettled()), supervisor, stopRequested);
                stopRequested.await();
                DaemonLog.info("stopping the workers (but those a 'zdm kill --keep-workers' leaves serving);"
                        + " desired states are kept for the next start");
                StoreStartup.daemonEvent(store, "daemon-stopping", "pid " + info.pid()); // never in the way of stopping the workers
                systemd.stopping("stopping every worker");
                host.stopping(supervisor);
                supervisor.shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (metrics != null) metrics.close();
                dashboard.close();
            }
        } finally {
            try {
                Files.deleteIfExists(paths.pidFile());
            } catch (IOException ignored) {
                // a stale pid file is harmless: the lock, not the file, says whether a daemon runs
            }
            DaemonLog.info("daemon stopped");
            stopped.countDown();
        }
        return host.exitCode();
    }

    /**
     * READY=1 for systemd once the restored apps have settled (online, or given up after their
     * restarts), bounded by their readiness timeouts, so {@code systemctl start zdm} returns when the
     * apps serve. A stop requested meanwhile wins: no READY after STOPPING.
     */
    private void notifyReadyWhenSettled(java.util.concurrent.CompletableFuture<?> settled, Supervisor supervisor,
                                        CountDownLatch stopRequested) throws InterruptedException {
        if (!systemd.enabled()) return;
        while (stopRequested.getCount() > 0) {
            try {
                settled.get(100, TimeUnit.MILLISECONDS);
                break;
            } catch (java.util.concurrent.TimeoutException e) {
                // keep waiting; re-check the stop request
            } catch (java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        if (stopRequested.getCount() == 0) return;
        var views = supervisor.views();
        long online = views.stream().mapToLong(a -> a.onlineCount()).sum();
        long workers = views.stream().mapToLong(a -> a.workers().size()).sum();
        systemd.ready(views.size() + " app(s), " + online + " of " + workers + " worker(s) online");
    }

    /** The home must be the user's own (see {@link PrivateHome#secure}); its directories are made here, 0700. */
    private static void prepareHome(Paths paths) throws StartupException {
        try {
            PrivateHome.secure(paths.home(), Paths.DIRECTORIES);
        } catch (PrivateHome.UntrustedHomeException e) {
            throw new StartupException(e.getMessage());
        } catch (IOException e) {
            throw new StartupException("cannot prepare " + paths.home() + ": " + e.getMessage() + "; set ZDM_HOME to a writable directory");
        }
    }

    private static FileChannel openLock(Paths paths) throws IOException {
        return PrivateHome.channel(paths.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static FileLock acquire(FileChannel ch, Paths paths) throws StartupException, IOException {
        var lock = ch.tryLock();
        if (lock == null) {
            String pid = "";
            try {
                pid = " (pid " + Files.readString(paths.pidFile()).trim() + ")";
            } catch (IOException ignored) {
                // the pid is only a courtesy in the message
            }
            throw new StartupException("a daemon is already running for " + paths.home() + pid + "; use 'zdm kill' to stop it");
        }
        return lock;
    }
}
