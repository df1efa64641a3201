package zdm.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import zdm.daemon.DaemonLog;
import zdm.proc.ProcessIdentity;
import zdm.proc.ProcessTree;
import zdm.proc.Signal;
import zdm.store.StoredApp;

/**
 * Brings a fresh daemon in line with the store: processes that a previous daemon left behind
 * (it was killed, or the machine's init reparented them) are recognised by pid AND start time and
 * stopped cleanly, so nothing runs twice and nothing is orphaned; then every app whose desired
 * state is "running" is started again.
 */
public final class Restore {
    private Restore() {}

    /** Lines the previous daemon's workers wrote (also while no daemon was reading) reach the app logs. */
    private static void recoverOutput(Supervisor sup) {
        if (sup.capture() == null) return;
        try {
            int files = sup.capture().recoverLeftovers(sup.logs());
            if (files > 0) DaemonLog.info("recovered the unread output of " + files + " capture file(s) from a previous daemon");
        } catch (java.io.IOException e) {
            DaemonLog.warn("could not recover earlier workers' output: " + e.getMessage());
        }
    }

    /** Blocking; runs before the daemon accepts clients. Returns how many leftovers were stopped. */
    public static int run(Supervisor sup) {
        var store = sup.store();
        var stored = store.apps();
        var threads = new ArrayList<Thread>();
        int leftovers = 0;
        var recorded = new ArrayList<zdm.store.WorkerRecord>();
        for (var rec : store.workers()) {
            // A slot may have had two processes (a reload in progress): both are leftovers.
            if (rec.pid() > 0) recorded.add(rec);
            if (rec.otherPid() > 0) recorded.add(new zdm.store.WorkerRecord(rec.app(), rec.id(), rec.otherPid(),
                    rec.otherStartTimeMs(), rec.state(), rec.restarts(), null, null));
        }
        for (var rec : recorded) {
            var id = new ProcessIdentity(rec.pid(), rec.startTimeMs());
            if (!id.isAlive()) continue;
            var spec = stored.stream().map(StoredApp::spec).filter(s -> s.name().equals(rec.app())).findFirst();
            var signal = spec.flatMap(s -> Signal.parse(s.stopSignal())).orElse(Signal.SIGTERM);
            var timeout = Duration.ofMillis(spec.map(s -> s.killTimeoutMs()).orElse(5000L));
            DaemonLog.info(rec.app() + "[" + rec.id() + "] pid " + rec.pid()
                    + " was left running by a previous daemon; stopping it before starting a fresh worker");
            store.addEvent(rec.app(), rec.id(), "leftover-stopped", "pid " + rec.pid() + " from a previous daemon", null);
            threads.add(Thread.ofVirtual().start(() -> ProcessTree.terminate(id, signal, timeout)));
            leftovers++;
        }
        for (var t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        recoverOutput(sup);
        sup.onLoop(() -> {
            for (var sa : stored) {
                store.deleteWorkers(sa.spec().name());
                var app = new App(sup.loop(), sup, sa.spec(), sa.desiredRunning());
                sup.apps().put(sa.spec().name(), app);
                if (!sa.desiredRunning()) continue;
                var failure = ApplyPlan.openListeners(sup, java.util.List.of(sa.spec()));
                if (failure instanceof zdm.protocol.Response.Failed f) {
                    sup.event(sa.spec().name(), null, "restore-failed", f.message());
                    continue;
                }
                sup.event(sa.spec().name(), null, "restored", "starting " + sa.spec().instances() + " worker(s)");
                app.start();
            }
        }).join();
        return leftovers;
    }
}
