package zdm.supervisor;

import zdm.log.DaemonLog;

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
        var all = loop.call(() -> {
            var stopping = apps.values().stream().filter(a -> !(keep && a.spec().network().socketMode())).toList();
            var timeout = AppRegistry.stopTimeout(stopping.stream().map(App::spec).toList());
            stopping.forEach(a -> a.guard(() -> a.stop(true)));
            return loop.await(() -> stopping.stream().allMatch(AppConditions::allStopped), timeout);
        }).join();
        all.join();
        loop.call(() -> {
            apps.values().forEach(App::closeListener);
            if (!keep) registry.removeNotifyDir();
            apps.values().forEach(App::closeTriggers);
            return null;
        }).join();
    }
}
