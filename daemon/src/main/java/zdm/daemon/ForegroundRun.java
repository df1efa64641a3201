package zdm.daemon;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import zdm.config.AppSpec;
import zdm.config.MetricsSetting;
import zdm.metrics.MetricsEndpoint;
import zdm.proc.AppLogs;
import zdm.proc.Posix;
import zdm.protocol.AppView;
import zdm.protocol.Response;
import zdm.protocol.WorkerView;
import zdm.supervisor.Supervisor;

/**
 * {@code zdm run <file>}: the daemon hosted in the foreground as a container's entrypoint (like
 * pm2-runtime). It starts the file's apps, copies every app's output to our stdout/stderr as
 * {@code app[worker] line} and decides the exit code (orphans are reaped by every daemon, see
 * {@code ChildReaper.adoptOrphans}; as PID 1 that covers every orphan of the container):
 * <ul>
 *   <li>0: a requested stop (SIGTERM, SIGINT, {@code zdm kill}), or auto-exit when every worker ended
 *       without an errored one;</li>
 *   <li>1: the file's apps could not be started, or some app was errored (gave up restarting) when the
 *       stop came or when nothing was left running, so an orchestrator sees the failure and
 *       restarts the container.</li>
 * </ul>
 * With {@code autoExit} (the default) the run ends by itself once no worker of any app is running or
 * about to restart (all stopped or errored), as pm2-runtime does.
 */
public final class ForegroundRun implements DaemonMain.Host {
    private static final Duration WATCH_EVERY = Duration.ofMillis(500);
    private static final int OUTPUT_BACKLOG = 10_000;

    private final List<AppSpec> apps;
    /** The file's {@code metrics:}, applied as {@code zdm start} does; null when the file has none. */
    private final MetricsSetting metricsSetting;
    /** The file's {@code dashboard:}, applied as {@code zdm start} does; null when the file has none. */
    private final zdm.config.DashboardSetting dashboardSetting;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean autoExit;
    private final BlockingQueue<AppLogs.Entry> output = new ArrayBlockingQueue<>(OUTPUT_BACKLOG);
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean failed;
    /** Errored apps at the last watch: 'zdm kill' stops every worker before we hear of the stop. */
    private volatile List<String> lastErrored = List.of();

    public ForegroundRun(List<AppSpec> apps, MetricsSetting metricsSetting, PrintStream out, PrintStream err, boolean autoExit) {
        this(apps, metricsSetting, null, out, err, autoExit);
    }

    public ForegroundRun(List<AppSpec> apps, MetricsSetting metricsSetting, zdm.config.DashboardSetting dashboardSetting,
                         PrintStream out, PrintStream err, boolean autoExit) {
        this.apps = List.copyOf(apps);
        this.metricsSetting = metricsSetting;
        this.dashboardSetting = dashboardSetting;
        this.out = out;
        this.err = err;
        this.autoExit = autoExit;
    }

    @Override
    public zdm.config.DashboardSetting dashboard() {
        return dashboardSetting;
    }

    @Override
    public CompletableFuture<?> serving(Supervisor supervisor, AppLogs logs, MetricsEndpoint metrics, Runnable requestStop) {
        var applied = new CompletableFuture<Void>();
        String metricsError = metricsSetting == null ? null : metrics.configure(metricsSetting);
        if (metricsError != null) {
            err.println("zdm: " + metricsError + "; nothing was started");
            failed = true;
            requestStop.run();
            return CompletableFuture.completedFuture(null);
        }
        logs.follow(null, this::enqueue);
        Thread.ofPlatform().daemon().name("zdm-run-output").start(this::writeLoop);
        // Applying waits for the apps to settle; a virtual thread keeps SIGTERM meanwhile effective.
        Thread.ofVirtual().name("zdm-run-apply").start(() -> {
            var answer = supervisor.apply(apps, Posix.getuid(), line -> err.println("zdm: " + line));
            applied.complete(null);
            if (answer instanceof Response.Failed f) {
                err.println("zdm: " + f.message());
                f.details().forEach(d -> err.println("  " + d));
                failed = true;
                requestStop.run();
                return;
            }
            watch(supervisor, requestStop);
        });
        return applied;
    }

    @Override
    public void stopping(Supervisor supervisor) {
        stopping = true;
        var errored = erroredApps(supervisor.views());
        if (errored.isEmpty()) errored = lastErrored;
        if (!errored.isEmpty()) {
            failed = true;
            err.println("zdm: errored when stopping: " + String.join(", ", errored));
        }
    }

    @Override
    public int exitCode() {
        drainOutput();
        return failed ? 1 : 0;
    }

    private static List<String> erroredApps(List<AppView> views) {
        return views.stream().filter(a -> a.status() == AppView.Status.ERRORED).map(AppView::name).toList();
    }

    /** Remembers errored apps; with auto-exit, once nothing runs or will restart, stops (code 1 if something errored). */
    private void watch(Supervisor supervisor, Runnable requestStop) {
        while (!stopping) {
            var views = supervisor.views();
            if (stopping) return;   // a stop began meanwhile: these views may already show stopped workers
            // Errored stays errored until the app serves again (a reload with a fix): a stop that moves
            // its slots to stopped (zdm kill runs before we hear of it) does not clear it.
            var before = lastErrored;
            lastErrored = views.stream().filter(a -> a.status() == AppView.Status.ERRORED
                    || (before.contains(a.name()) && a.onlineCount() == 0)).map(AppView::name).toList();
            boolean anythingLeft = views.stream().flatMap(a -> a.workers().stream())
                    .anyMatch(w -> w.state() != WorkerView.State.STOPPED && w.state() != WorkerView.State.ERRORED);
            if (autoExit && !anythingLeft) {
                err.println("zdm: no worker is running any more; exiting (--no-auto-exit keeps zdm run up)");
                requestStop.run();
                return;
            }
            sleep(WATCH_EVERY);
        }
    }

    /** Called on the logging thread: never blocks it (a stalled stdout must not stall the workers' logs). */
    private void enqueue(AppLogs.Entry e) {
        if (!output.offer(e)) dropped.incrementAndGet();
    }

    private void writeLoop() {
        while (true) {
            try {
                write(output.take());
                drainOutput();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void drainOutput() {
        AppLogs.Entry e;
        while ((e = output.poll()) != null) write(e);
        long lost = dropped.getAndSet(0);
        if (lost > 0) err.println("zdm: stdout was too slow; " + lost + " line(s) skipped here (they are in the log files)");
        out.flush();
        err.flush();
    }

    /** Without the timestamp: a container's log collector adds its own. */
    private synchronized void write(AppLogs.Entry e) {
        String line = e.line();
        int space = line.indexOf(' ');
        (e.err() ? err : out).println(space > 0 ? line.substring(space + 1) : line);
    }

    private static void sleep(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
