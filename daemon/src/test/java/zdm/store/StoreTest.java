package zdm.store;

import zdm.proc.Signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.config.AppSpec;
import zdm.protocol.EventView;

class StoreTest {
    @TempDir Path dir;
    Path dbFile;
    Store store;

    @BeforeEach
    void open() {
        dbFile = dir.resolve("zdm.db");
        store = Store.open(dbFile);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void appsRoundTripInRegistrationOrder() {
        var web = Specs.app("web");
        var api = AppSpec.builder("api", List.of("/bin/sh", "-c", "exec ./api")).cwd("/srv/api")
                .killTimeoutMs(1).stopSignal(Signal.SIGINT).autorestart(false).maxRestarts(0).minUptimeMs(0)
                .restartDelayMs(0).restartDelayMaxMs(0).build();
        store.putApp(web, true);
        store.putApp(api, false);

        assertEquals(List.of(new StoredApp(web, true), new StoredApp(api, false)), store.apps());
        assertEquals(Optional.of(new StoredApp(api, false)), store.app("api"));
        assertEquals(Optional.empty(), store.app("nope"));
    }

    @Test
    void putAppOfAnExistingAppReplacesItButKeepsItsPositionAndWorkers() {
        store.putApp(Specs.app("a"), true);
        store.putApp(Specs.app("b"), true);
        store.putApp(Specs.app("c"), true);
        store.putWorker(Specs.worker("a", 0));

        var resized = Specs.app("a", 7);
        store.putApp(resized, false);

        assertEquals(List.of("a", "b", "c"), store.apps().stream().map(a -> a.spec().name()).toList());
        assertEquals(new StoredApp(resized, false), store.apps().getFirst());
        assertEquals(List.of(Specs.worker("a", 0)), store.workers());
    }

    @Test
    void setDesiredChangesOnlyThatFlag() {
        store.putApp(Specs.app("web"), true);
        store.setDesired("web", false);
        assertEquals(Optional.of(new StoredApp(Specs.app("web"), false)), store.app("web"));
        store.setDesired("web", true);
        assertTrue(store.app("web").orElseThrow().desiredRunning());
        assertThrows(IllegalArgumentException.class, () -> store.setDesired("nope", true));
    }

    @Test
    void workersRoundTripUpsertAndOrder() {
        store.putApp(Specs.app("z-first"), true);
        store.putApp(Specs.app("a-second"), true);
        store.putWorker(Specs.worker("a-second", 0));
        store.putWorker(Specs.worker("z-first", 1));
        store.putWorker(Specs.worker("z-first", 0));
        var exited = new WorkerRecord("z-first", 1, 0, 0, "errored", 16, 137, "SIGKILL");
        store.putWorker(exited);

        assertEquals(List.of(Specs.worker("z-first", 0), exited, Specs.worker("a-second", 0)), store.workers());

        store.deleteWorker("z-first", 0);
        assertEquals(List.of(exited, Specs.worker("a-second", 0)), store.workers());
        store.deleteWorkers("z-first");
        assertEquals(List.of(Specs.worker("a-second", 0)), store.workers());
    }

    @Test
    void aWorkerOfAnUnknownAppIsRefusedNamingTheFile() {
        var e = assertThrows(StoreException.class, () -> store.putWorker(Specs.worker("ghost", 0)));
        assertTrue(e.getMessage().contains(dbFile.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertEquals(List.of(), store.workers());
    }

    @Test
    void deleteAppCascadesToWorkersAndKeepsEvents() {
        store.putApp(Specs.app("web"), true);
        store.putApp(Specs.app("api"), true);
        store.putWorker(Specs.worker("web", 0));
        store.putWorker(Specs.worker("web", 1));
        store.putWorker(Specs.worker("api", 0));
        store.addEvent("web", 0, "started", "pid 40000", 1000);

        store.deleteApp("web");

        assertEquals(List.of("api"), store.apps().stream().map(a -> a.spec().name()).toList());
        assertEquals(List.of(Specs.worker("api", 0)), store.workers());
        assertEquals(List.of("started"), store.events("web", 10).stream().map(EventView::kind).toList());
        store.deleteApp("web"); // unknown app: no-op
    }

    @Test
    void eventsAreTheNewestOnesOldestFirstAndFilteredByApp() {
        long before = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) {
            store.addEvent("web", i, "started", "web " + i, null);
            store.addEvent("api", null, "exited", "api " + i, 0);
        }
        store.addEvent(null, null, "daemon", "daemon started", null);
        long after = System.currentTimeMillis();

        var web = store.events("web", 3);
        assertEquals(List.of("web 2", "web 3", "web 4"), web.stream().map(EventView::detail).toList());
        assertEquals(List.of(2, 3, 4), web.stream().map(EventView::worker).toList());
        assertTrue(web.stream().allMatch(e -> e.app().equals("web") && e.kind().equals("started")));
        assertTrue(web.stream().allMatch(e -> e.timeMs() >= before && e.timeMs() <= after));

        var api = store.events("api", 100);
        assertEquals(5, api.size());
        assertTrue(api.stream().allMatch(e -> e.worker() == null));

        var all = store.events(null, 3);
        assertEquals(List.of("web 4", "api 4", "daemon started"), all.stream().map(EventView::detail).toList());
        assertEquals(11, store.events(null, 1000).size());
        assertEquals(List.of(), store.events(null, 0));
        assertThrows(IllegalArgumentException.class, () -> store.events(null, -1));
    }

    @Test
    void putAppsIsAllOrNothing() {
        var original = Specs.app("web", 1);
        store.putApp(original, true);
        // The second spec violates NOT NULL on the name: the first one's update must be rolled back too.
        var invalid = AppSpec.builder(null, List.of("x")).killTimeoutMs(0).autorestart(false).maxRestarts(0)
                .minUptimeMs(0).restartDelayMs(0).restartDelayMaxMs(0).source("f").build();

        var e = assertThrows(StoreException.class,
                () -> store.putApps(List.of(Specs.app("web", 9), Specs.app("api"), invalid), false));
        assertTrue(e.getMessage().contains(dbFile.toString()), e.getMessage());
        assertEquals(List.of(new StoredApp(original, true)), store.apps());

        store.putApps(List.of(Specs.app("web", 9), Specs.app("api")), false);
        assertEquals(List.of(new StoredApp(Specs.app("web", 9), false), new StoredApp(Specs.app("api"), false)),
                store.apps());
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();
        store.close(); // idempotent
        var e = assertThrows(StoreException.class, store::apps);
        assertTrue(e.getMessage().contains(dbFile.toString()), e.getMessage());
    }

    @Test
    void eventsCarryUidAndIdAndFilterBySinceAndAfterId() throws Exception {
        store.addEvent("web", null, "reload", null, 1000);
        store.addEvent("web", 1, "exited", "code 3", null);
        store.addEvent(null, null, "daemon-started", "pid 1", null);
        var all = store.events(null, 10);
        assertEquals(List.of("reload", "exited", "daemon-started"), all.stream().map(zdm.protocol.EventView::kind).toList());
        assertEquals(1000, all.get(0).uid());
        assertEquals(null, all.get(1).uid());
        assertTrue(all.get(0).id() < all.get(1).id() && all.get(1).id() < all.get(2).id());
        assertEquals(List.of("exited", "daemon-started"),
                store.events(null, 10, 0, all.get(0).id()).stream().map(zdm.protocol.EventView::kind).toList());
        assertEquals(List.of("exited"), store.events("web", 10, 0, all.get(0).id()).stream().map(zdm.protocol.EventView::kind).toList());
        assertEquals(List.of(), store.events(null, 10, System.currentTimeMillis() + 60_000, 0));
        assertEquals(3, store.events(null, 10, all.get(0).timeMs(), 0).size());
    }
}
