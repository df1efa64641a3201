package zdm.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.test.Await;

/** The daemon's workers are reaped by one thread for all of them, with their exact wait status. */
class ChildExitsTest {
    @TempDir
    Path dir;

    private static final LogSink IGNORE = (app, worker, err, text) -> { };

    private WorkerProcess start(OutputCapture capture, int id, String script) throws Exception {
        return WorkerProcess.spawn(new SpawnSpec("t", id, List.of("sh", "-c", script), null, Map.of()), IGNORE, capture);
    }

    /** Every thread of this JVM, as the kernel counts them (the JDK's own threads included). */
    static long osThreads() throws java.io.IOException {
        return java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Threads:"))
                .mapToLong(l -> Long.parseLong(l.substring(8).trim())).findFirst().orElseThrow();
    }

    @Test
    void exitCodesAndSignalsAreReportedExactly() throws Exception {
        try (var capture = new OutputCapture(dir)) {
            assertEquals(new ExitStatus(3, null), start(capture, 0, "exit 3").onExit().get(10, TimeUnit.SECONDS));
            // the JDK's exit value could not tell these two apart (both 137)
            assertEquals(new ExitStatus(137, null), start(capture, 1, "exit 137").onExit().get(10, TimeUnit.SECONDS));
            assertEquals(new ExitStatus(null, Signal.SIGKILL), start(capture, 2, "kill -9 $$").onExit().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void manyWorkersDoNotCostAThreadEach() throws Exception {
        try (var capture = new OutputCapture(dir)) {
            start(capture, 99, "exit 0").onExit().get(10, TimeUnit.SECONDS);   // the watcher thread exists from here
            long before = osThreads();
            int baseline = ChildExits.watched();
            var workers = new ArrayList<WorkerProcess>();
            try {
                for (int i = 0; i < 50; i++) workers.add(start(capture, i, "exec sleep 1000"));
                long with = osThreads();
                assertTrue(with < before + 10, "threads of this JVM: " + before + " before, " + with + " with 50 workers");
                assertEquals(baseline + 50, ChildExits.watched(), "every worker's exit is watched through the shared epoll set");
            } finally {
                for (var w : workers) ProcessTree.terminate(w.identity(), Signal.SIGKILL, Duration.ofSeconds(5));
            }
            for (var w : workers) assertEquals(new ExitStatus(null, Signal.SIGKILL), w.onExit().get(10, TimeUnit.SECONDS));
            Await.until(Duration.ofSeconds(10), () -> ChildExits.watched() == baseline, "every exit reaped and unwatched");
        }
    }
}
