package zdm.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import zdm.log.DaemonLog;
import zdm.net.SharedSocket;
import zdm.net.SocketHandover;
import zdm.proc.ProcessIdentity;
import zdm.proc.StrayWorkers;
import zdm.proc.ProcessTree;
import zdm.proc.Signal;
import zdm.protocol.Response;
import zdm.store.StoreException;
import zdm.store.StoredApp;
import zdm.store.WorkerRecord;

/**
 * Brings a fresh daemon in line with the store: processes that a previous daemon left behind
 * (it was killed, or the machine's init reparented them) are recognised by pid AND start time and
 * stopped cleanly, so nothing runs twice and nothing is orphaned; then every app whose desired
 * state is "running" is started again.
 *
 * <p>A {@code listen: socket} app is handed over instead, when its listening socket can be taken
 * back from one of its leftover workers ({@link SocketHandover}): the fresh workers start on that
 * same socket while the leftovers keep accepting on it, and the leftovers are stopped (gracefully,
 * like a reload retires a worker) once the fresh ones are online, so the port never stops serving.
 */
public final class Restore {
    private Restore() {}

    /** A live process of a previous daemon, with its app as stored (null: the app is gone from the store). */
    private record Leftover(WorkerRecord record, ProcessIdentity id, StoredApp app) {
        Signal signal() {
            return app == null ? Signal.SIGTERM : app.spec().process().stopSignal();
        }

        Duration timeout() {
            return Duration.ofMillis(app == null ? 5000L : app.spec().process().killTimeoutMs());
        }
    }

    /** Blocking; runs before the daemon accepts clients. Returns how many leftovers were found. */
    public static int run(Supervisor supervisor) {
        return run(supervisor.registry());
    }

    private static int run(AppRegistry sup) {
        var store = sup.store();
        var stored = store.apps();
        // The previous daemon's unread output is written before the apps exist here: with each app's own limits.
        for (var sa : stored) AppLogSettings.apply(sup.logs(), sa.spec());
        var leftovers = leftovers(sup, stored);
        stopStrays(leftovers);
        listenForLeftovers(sup, leftovers);
        Map<String, SharedSocket> handedOver = takeSocketsOver(sup, leftovers);
        var stopNow = new ArrayList<Leftover>();
        var stopOnceReplaced = new ArrayList<Leftover>();
        for (var l : leftovers) (handedOver.containsKey(l.record().app()) ? stopOnceReplaced : stopNow).add(l);
        stopAll(sup, stopNow, "before starting a fresh worker");
        if (stopOnceReplaced.isEmpty()) recoverOutput(sup); // else once those are stopped too (their files are still written)
        sup.loop().call(() -> {
            for (var sa : stored) {
                try {
                    restoreOne(sup, sa, handedOver.get(sa.spec().name()));
                } catch (RuntimeException e) { // one app's trouble is that app's; the others come back
                    var app = sup.apps().get(sa.spec().name());
                    if (app != null) {
                        AppFailure.fail(app, e);
                    } else {
                        DaemonLog.error(sa.spec().name() + ": cannot restore it", e);
                        sup.event(sa.spec().name(), null, "restore-failed", String.valueOf(e));
                    }
                }
            }
            return null;
        }).join();
        if (!stopOnceReplaced.isEmpty()) {
            Thread.ofVirtual().name("zdm-handover").start(() -> retireOnceReplaced(sup, handedOver.keySet(), stopOnceReplaced));
        }
        return leftovers.size();
    }

    private static void restoreOne(AppRegistry sup, StoredApp sa, SharedSocket socket) {
        sup.store().deleteWorkers(sa.spec().name());
        var app = new App(sup.loop(), sup, sup.host(), sa.spec(), sa.desiredRunning());
        sup.apps().put(sa.spec().name(), app);
        if (!sa.desiredRunning()) return;
        if (socket != null) app.adoptListener(socket); // the port is ours already: openListeners keeps it
        var failure = ApplyPlan.openListeners(sup, List.of(sa.spec()));
        if (failure instanceof Response.Failed f) {
            sup.event(sa.spec().name(), null, "restore-failed", f.message());
            return;
        }
        sup.event(sa.spec().name(), null, "restored", "starting " + sa.spec().instances() + " worker(s)"
                + (socket != null ? " on the listening socket taken over from the previous daemon's workers" : ""));
        app.guard(app::start);
    }

    /** The live processes the store says a previous daemon ran (both of a slot mid-reload). */
    private static List<Leftover> leftovers(AppRegistry sup, List<StoredApp> stored) {
        var found = new ArrayList<Leftover>();
        for (var rec : sup.store().workers()) {
            var records = new ArrayList<WorkerRecord>();
            if (rec.pid() > 0) records.add(rec);
            if (rec.otherPid() > 0) records.add(new WorkerRecord(rec.app(), rec.id(), rec.otherPid(),
                    rec.otherStartTimeMs(), rec.state(), rec.restarts(), null, null));
            var app = stored.stream().filter(s -> s.spec().name().equals(rec.app())).findFirst().orElse(null);
            for (var r : records) {
                var id = new ProcessIdentity(r.pid(), r.startTimeMs());
                if (id.isAlive()) found.add(new Leftover(r, id, app));
            }
        }
        return found;
    }

    /** Workers a previous daemon spawned but was killed before it recorded: nothing else would ever stop them. */
    private static void stopStrays(List<Leftover> leftovers) {
        var recorded = new java.util.HashSet<Long>();
        for (var l : leftovers) recorded.add(l.id().pid());
        for (var stray : StrayWorkers.stop(recorded, Duration.ofSeconds(5))) {
            DaemonLog.info("pid " + stray.pid() + " was started by a previous daemon that was killed before it recorded"
                    + " the worker; stopped it");
        }
    }

    /** Each leftover's sd_notify messages reach a socket again (its STOPPING=1 as it is retired, for one). */
    private static void listenForLeftovers(AppRegistry sup, List<Leftover> leftovers) {
        if (leftovers.isEmpty()) return;
        Path dir;
        try {
            dir = sup.notifyDir();
        } catch (IOException e) {
            DaemonLog.warn("the notify directory is not usable (" + e.getMessage() + "); leftover workers' sd_notify messages are lost");
            return;
        }
        LeftoverNotify.listen(sup, leftovers.stream().map(l -> new LeftoverNotify.Kept(l.record().app(), l.record().id(), l.id())).toList(), dir);
    }

    /** Per socket-mode app that should run: its listening socket, from the first leftover that gives it up. */
    private static Map<String, SharedSocket> takeSocketsOver(AppRegistry sup, List<Leftover> leftovers) {
        var sockets = new HashMap<String, SharedSocket>();
        for (var l : leftovers) {
            String app = l.record().app();
            var sa = l.app();
            if (sa == null || !sa.desiredRunning() || !sa.spec().network().socketMode() || sockets.containsKey(app)) continue;
            var where = sa.spec().network().learnsPort() ? sup.store().rememberedPort(app).orElse(null)
                    : new zdm.net.ListenAddress(sa.spec().network().port(), null);
            if (where == null) continue; // its workers never got a socket
            try {
                sockets.put(app, SocketHandover.takeOver(app, where, l.id()));
                DaemonLog.info(app + ": took the listening socket of port " + where.port() + " over from pid "
                        + l.id().pid() + "; its workers keep serving until fresh ones are online");
            } catch (IOException e) {
                DaemonLog.info(app + ": cannot take the listening socket over from pid " + l.id().pid() + " ("
                        + e.getMessage() + "); the port is bound again once the old workers are stopped");
            }
        }
        return sockets;
    }

    /**
     * Waits until every handed-over app has settled (its fresh workers online, or failed: then the
     * old ones cannot stay unsupervised either), or a deadline, then stops the leftovers.
     */
    private static void retireOnceReplaced(AppRegistry sup, Set<String> apps, List<Leftover> leftovers) {
        long waitMs = 10_000;
        for (var l : leftovers) { // all of handed-over apps, so each has its stored app
            var spec = l.app().spec();
            waitMs = Math.max(waitMs, spec.health().listenTimeoutMs() * 2 + spec.restart().restartDelayMs() + 10_000);
        }
        var loop = sup.loop();
        var wait = Duration.ofMillis(waitMs);
        try {
            // The loop re-checks the condition after each of its tasks (as AppQueries.whenSettled does); the bounded
            // get also covers a loop that closes meanwhile and never decides.
            loop.call(() -> loop.await(() -> apps.stream().allMatch(name -> {
                var app = sup.apps().get(name);
                return app == null || AppConditions.settled(app);
            }), wait)).thenCompose(settled -> settled).get(wait.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // the daemon is shutting down, or the deadline passed: the leftovers are stopped either way
        }
        stopAll(sup, leftovers, "now that its replacement has started");
        recoverOutput(sup);
    }

    private static void stopAll(AppRegistry sup, List<Leftover> leftovers, String when) {
        var stops = new ArrayList<ProcessTree.Stop>();
        for (var l : leftovers) {
            var rec = l.record();
            DaemonLog.info(rec.app() + "[" + rec.id() + "] pid " + rec.pid() + " was left running by a previous daemon; stopping it " + when);
            try {
                sup.store().addEvent(rec.app(), rec.id(), "leftover-stopped", "pid " + rec.pid() + " from a previous daemon", null);
            } catch (StoreException e) {
                DaemonLog.warn(e.getMessage() + "; the leftover is stopped all the same"); // a full disk stops nothing
            }
            stops.add(new ProcessTree.Stop(l.id(), l.signal(), l.timeout()));
        }
        ProcessTree.terminateAll(stops);
    }

    /** Lines the previous daemon's workers wrote (also while no daemon was reading) reach the app logs. */
    private static void recoverOutput(AppRegistry sup) {
        if (sup.capture() == null) return;
        try {
            int files = sup.capture().recoverLeftovers(sup.logs());
            if (files > 0) DaemonLog.info("recovered the unread output of " + files + " capture file(s) from a previous daemon");
        } catch (IOException e) {
            DaemonLog.warn("could not recover earlier workers' output: " + e.getMessage());
        }
    }
}
