package zdm.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcScanTest {
    private final Spawned spawned = new Spawned();

    @AfterEach
    void cleanUp() {
        spawned.close();
    }

    @Test
    void aPassSeesEveryProcessStartedBeforeTheCallEvenWhileOthersScan() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var busy = new ArrayList<Future<List<ProcStat>>>();
            for (int i = 0; i < 20; i++) busy.add(pool.submit((Callable<List<ProcStat>>) ProcScan::fresh));
            for (int round = 0; round < 5; round++) {
                WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, Map.of()));
                long passesBefore = ProcScan.passes();
                assertTrue(ProcScan.fresh().stream().anyMatch(s -> s.pid() == w.pid()), "pid " + w.pid() + " in the pass");
                assertTrue(ProcScan.passes() > passesBefore, "a pass was made after the call");
            }
            for (var f : busy) assertTrue(f.get().size() > 1, "every caller gets a whole pass");
        }
    }
}
