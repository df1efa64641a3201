package zdm.proc;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import zdm.test.Await;

/**
 * Starts real worker processes for tests, collects their output, and on close kills every process
 * it started or was told about (by identity, so never a recycled pid).
 */
final class Spawned implements AutoCloseable {
    record Line(String app, int worker, boolean err, String text) {}

    final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
    private final List<ProcessIdentity> roots = new ArrayList<>();
    private final List<ProcessIdentity> others = new ArrayList<>();
    final LogSink sink = (app, worker, err, text) -> lines.add(new Line(app, worker, err, text));

    WorkerProcess sh(String script) throws IOException {
        return spawn(new SpawnSpec("t", 0, List.of("sh", "-c", script), null, Map.of()));
    }

    WorkerProcess spawn(SpawnSpec spec) throws IOException {
        WorkerProcess w = WorkerProcess.spawn(spec, sink);
        synchronized (this) {
            roots.add(w.identity());
        }
        return w;
    }

    synchronized void track(ProcessIdentity id) {
        others.add(id);
    }

    /** The first stdout line of the worker, waiting for it. */
    String firstOut(Duration timeout) {
        return Await.value(timeout, () -> lines.stream().filter(l -> !l.err()).map(Line::text).findFirst().orElse(null),
                "a stdout line");
    }

    /** Live descendants of pid, once there are at least n of them. */
    static List<ProcessIdentity> descendants(long pid, int n) {
        return Await.value(Duration.ofSeconds(5), () -> {
            List<ProcessIdentity> ds = ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
                    .map(h -> ProcessIdentity.of(h.pid())).flatMap(Optional::stream).toList();
            return ds.size() >= n ? ds : null;
        }, n + " descendants of " + pid);
    }

    @Override
    public synchronized void close() {
        for (ProcessIdentity id : others) Posix.signal(id, Signal.SIGKILL);
        for (ProcessIdentity id : roots) ProcessTree.terminate(id, Signal.SIGKILL, Duration.ofSeconds(2));
    }
}
