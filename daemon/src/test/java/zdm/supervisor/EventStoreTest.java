package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code zdm events} reads the supervisor's store ({@link Supervisor#eventStore}): what the apps recorded is there. */
class EventStoreTest extends FixtureTest {
    @Test
    void theEventsAClientReadsAreTheOnesTheAppsRecorded() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        var events = f.sup.eventStore().events("web", 50);
        assertTrue(events.stream().anyMatch(e -> e.kind().equals("online")), events.toString());
    }
}
