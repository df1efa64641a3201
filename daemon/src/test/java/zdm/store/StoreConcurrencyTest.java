package zdm.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.protocol.EventView;

class StoreConcurrencyTest {
    @TempDir Path dir;

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 100;
        try (var store = Store.open(dir.resolve("zdm.db"))) {
            store.putApp(Specs.app("web", threads), true);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                var futures = new ArrayList<Future<?>>();
                for (int t = 0; t < threads; t++) {
                    int worker = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            store.addEvent("web", worker, "tick", Integer.toString(i), null);
                            // Interleave other writes and reads on the same connection.
                            store.putWorker(new WorkerRecord("web", worker, 1, 1, "online", i, null, null));
                            store.workers();
                        }
                        return null;
                    }));
                }
                for (var f : futures) f.get(); // rethrows any failure of a writer
            }
            var events = store.events("web", threads * perThread + 10);
            assertEquals(threads * perThread, events.size());
            // Each writer's events are all there, in the order it wrote them.
            var seen = new HashMap<Integer, Integer>();
            for (EventView e : events) {
                int expected = seen.getOrDefault(e.worker(), 0);
                assertEquals(Integer.toString(expected), e.detail(), "writer " + e.worker());
                seen.put(e.worker(), expected + 1);
            }
            assertEquals(threads, seen.size());
            assertEquals(threads, store.workers().size());
            store.workers().forEach(w -> assertEquals(perThread - 1, w.restarts()));
        }
    }
}
