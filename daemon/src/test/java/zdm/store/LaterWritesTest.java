package zdm.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaterWritesTest {
    @TempDir Path dir;
    Store store;
    final AtomicInteger written = new AtomicInteger();
    final ConcurrentLinkedQueue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
    final LaterWrites.Outcome outcome = new LaterWrites.Outcome() {
        @Override
        public void written() {
            written.incrementAndGet();
        }

        @Override
        public void failed(RuntimeException e) {
            failures.add(e);
        }
    };

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("zdm.db"));
        store.putApp(Specs.app("a"), true);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void queuedWritesAreReadBackInTheirOrderAndAFailingOneIsUndoneAlone() {
        synchronized (store) {   // the store's thread cannot write meanwhile: everything below is one batch
            for (int i = 0; i < 50; i++) {
                int n = i;
                store.writeLater(() -> store.addEvent(1000 + n, "a", null, "e" + n, null, null), outcome);
                // a worker of an app that does not exist: the foreign key refuses it
                if (i == 25) store.writeLater(() -> store.putWorker(Specs.worker("ghost", 0)), outcome);
            }
        }
        List<String> kinds = store.events("a", 100).stream().map(e -> e.kind()).toList();
        assertEquals(50, kinds.size());
        for (int i = 0; i < 50; i++) assertEquals("e" + i, kinds.get(i));
        assertEquals(1000, store.events("a", 100).getFirst().timeMs());
        assertEquals(50, written.get());
        assertEquals(1, failures.size());
        assertTrue(failures.peek() instanceof StoreException, String.valueOf(failures.peek()));
        assertEquals(List.of(), store.workers());
    }

    @Test
    void closingWritesWhatIsQueuedAndRefusesLaterWrites() {
        synchronized (store) {
            store.writeLater(() -> store.addEvent("a", null, "last", null, null), outcome);
        }
        store.close();
        store.writeLater(() -> store.addEvent("a", null, "too-late", null, null), outcome);
        assertEquals(1, written.get());
        assertEquals(1, failures.size());
        store = Store.open(dir.resolve("zdm.db"));
        assertEquals(List.of("last"), store.events("a", 10).stream().map(e -> e.kind()).toList());
    }
}
