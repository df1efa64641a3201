package zdm.supervisor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import zdm.log.DaemonLog;
import zdm.proc.Signal;

/**
 * The daemon's stop ({@code zdm kill}, SIGTERM, the exit path): every app's workers stop, desired states
 * stay, so the next daemon brings them back. Idempotent.
 */
final class ShutdownApps {
    private final AppRegistry registry;
    /** Once a shutdown kept socket-mode workers, later shutdown calls (the daemon's exit path) keep them too. */
    private volatile boolean keptWorkers;

    ShutdownApps(AppRegistry registry) {
        this.registry = registry;
    }

    /**
     * With {@code keepSocketWorkers}, the workers of {@code listen: socket} apps are left running (their
     * records stay in the store, so the next daemon finds them and takes their socket over, see
     * {@link Restore}); once workers were kept, a later call keeps them too.
     */
    void run(boolean keepSocketWorkers) {
        if (keepSocketWorkers && !keptWorkers) {
            keptWorkers = true;
            DaemonLog.info("leaving the workers of listen: socket apps serving, for the next daemon to take over");
        }
        boolean keep = keptWorkers;
        var loop = registry.loop();
        var apps = registry.apps();
        var stop = loop.call(() -> {
            var stopping = apps.values().stream().filter(a -> !(keep && a.spec().network().socketMode())).toList();
            var timeout = AppRegistry.stopTimeout(stopping.stream().map(App::spec).toList());
            stopping.forEach(a -> a.guard(() -> a.stop(true)));
            return new Stop(stopping, timeout, loop.await(() -> stopping.stream().allMatch(AppConditions::allStopped), timeout));
        }).join();
        if (!stop.allStopped().join()) killStragglers(stop);
        loop.call(() -> {
            apps.values().forEach(App::closeListener);
            if (!keep) registry.removeNotifyDir();
            apps.values().forEach(App::closeTriggers);
            return null;
        }).join();
    }

    /**
     * The bound passed with workers still running (a drain, the stop signal and SIGKILL each take up to
     * kill_timeout, and on a loaded machine with many workers the tree walks run late): the daemon is
     * about to exit, and a worker left now would run on with nobody supervising it, so every one still
     * there gets SIGKILL to its whole tree, waited for a bounded while.
     */
    private void killStragglers(Stop stop) {
        // the workers are read and the kills asked for on the loop, which owns the apps' state
        var kills = registry.loop().call(() -> stop.apps().stream()
                .flatMap(a -> java.util.stream.Stream.concat(a.workers().stream(), a.outgoing().stream())
                        .filter(w -> w.state().hasProcess())
                        .map(w -> a.host().terminate(w.identity(), Signal.SIGKILL, Duration.ZERO).exceptionally(e -> null)))
                .toArray(CompletableFuture[]::new)).join();
        if (kills.length == 0) return;
        DaemonLog.warn(kills.length + " worker(s) still running " + stop.timeout().toMillis() + " ms after the daemon's stop began;"
                + " sending SIGKILL to their process trees");
        try {
            CompletableFuture.allOf(kills).get(STRAGGLER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            DaemonLog.warn("some workers were still running " + STRAGGLER_WAIT.toSeconds() + " s after SIGKILL: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The apps a shutdown stops, its bound, and whether they all stopped within it. */
    private record Stop(List<App> apps, Duration timeout, CompletableFuture<Boolean> allStopped) {}

    /** SIGKILL ends any process but one in uninterruptible sleep; the tree walk waits 5 s for its members. */
    private static final Duration STRAGGLER_WAIT = Duration.ofSeconds(15);
}
