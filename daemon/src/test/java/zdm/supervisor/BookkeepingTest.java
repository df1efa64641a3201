package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.store.Store;
import zdm.store.StoreException;
import zdm.test.Await;

/**
 * The store writes that record what the loop did ({@link Bookkeeping}), through a real store on a SQLite file: a failing
 * store is said once in daemon.log (the daemon's stderr, captured here), not once per write, until a write succeeds
 * again, which is said too; a write that fails for another reason is said each time.
 */
class BookkeepingTest {
    private static final String FULL = "database or disk is full";
    private static final String NOT_SAVED = FULL + "; the apps keep running, worker records and events are not saved";
    private static final String WRITABLE = "the store is writable again; worker records and events are saved again";

    @TempDir Path dir;
    private Store store;
    private Bookkeeping bookkeeping;
    private DaemonLogCapture daemonLog;

    @BeforeEach
    void openStoreAndCaptureTheLog() {
        store = Store.open(dir.resolve("zdm.db"));
        bookkeeping = new Bookkeeping(store);
        daemonLog = new DaemonLogCapture();
    }

    @AfterEach
    void restore() {
        daemonLog.close();
        store.close();
    }

    private List<String> log() {
        return daemonLog.lines();
    }

    private void event(String kind) {
        bookkeeping.write(() -> store.addEvent("web", 0, kind, null, null));
    }

    private void full() {
        bookkeeping.write(() -> {
            throw new StoreException(FULL); // what a write to a full disk throws
        });
    }

    /** Waits until the events written so far are in the store (the writes run in order, off the caller's thread). */
    private void awaitEvents(int n) {
        Await.until(Duration.ofSeconds(10), () -> store.events("web", 100).size() == n, () -> "events saved: " + store.events("web", 100));
    }

    @Test
    void aFailingStoreIsSaidOnceUntilAWriteSucceedsAgainWhichIsSaidToo() {
        event("first");
        awaitEvents(1);
        assertEquals(List.of(), log(), "a write that succeeds says nothing");
        full();
        full();
        full();
        event("second");
        awaitEvents(2);
        assertEquals(List.of("WARN " + NOT_SAVED, "INFO " + WRITABLE), log());
        full();
        event("third");
        awaitEvents(3);
        assertEquals(List.of("WARN " + NOT_SAVED, "INFO " + WRITABLE, "WARN " + NOT_SAVED, "INFO " + WRITABLE), log(),
                "once writable again, the next failure is said again");
    }

    @Test
    void aDifferentFailureOfTheStoreIsSaidAsItChanges() {
        full();
        bookkeeping.write(() -> {
            throw new StoreException("attempt to write a readonly database");
        });
        full();
        event("first");
        awaitEvents(1);
        assertEquals(List.of("WARN " + NOT_SAVED,
                "WARN attempt to write a readonly database; the apps keep running, worker records and events are not saved",
                "WARN " + NOT_SAVED, "INFO " + WRITABLE), log());
    }

    @Test
    void aWriteThatFailsForAnotherReasonIsSaidEachTimeAndIsNotAFailingStore() {
        for (int i = 0; i < 2; i++) {
            bookkeeping.write(() -> {
                throw new IllegalStateException("a bug");
            });
        }
        event("first");
        awaitEvents(1);
        var said = "WARN a worker record or event was not saved: java.lang.IllegalStateException: a bug";
        assertEquals(List.of(said, said), log(), "no 'writable again' after it: the store did not fail");
    }

    @Test
    void aWriteAfterTheStoreClosedIsSaidOnce() {
        store.close();
        event("late");
        event("later");
        Await.until(Duration.ofSeconds(10), () -> !log().isEmpty(), "a line in the log");
        assertEquals(List.of("WARN the store is already closed; this is a zdm bug, please report it;"
                + " the apps keep running, worker records and events are not saved"), log());
    }
}
