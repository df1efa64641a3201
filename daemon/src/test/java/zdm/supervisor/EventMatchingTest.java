package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fixture's event checks match a kind exactly: a check that matched any prefix passed where it should not. */
class EventMatchingTest extends FixtureTest {
    private FakeHost.Proc worker;

    @BeforeEach
    void startedAndOnline() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        worker = f.host.alive("web").getFirst();
    }

    @Test
    void aKindAloneMatchesThatKindAndNoLongerOne() {
        assertTrue(f.hasEvent("web", "started"), f.events("web").toString());
        assertFalse(f.hasEvent("web", "start"), "\"start\" is not \"started\": " + f.events("web"));
        assertFalse(f.hasEvent("web", "registere"));
        assertFalse(f.hasEvent("other", "started"), "another app's events");
    }

    @Test
    void aKindWithADetailMatchesOnlyTheWholeText() {
        assertTrue(f.hasEvent("web", "started: pid " + worker.pid));
        assertTrue(f.hasEvent("web", "online: pid " + worker.pid + " ready after 1000 ms"));
        assertFalse(f.hasEvent("web", "online: pid " + worker.pid + " ready after 100"), "a detail's beginning is not the detail");
        assertFalse(f.hasEvent("web", "online: pid " + worker.pid + " ready after 1000 ms."));
        assertFalse(f.hasEvent("web", "registered: "), "an empty detail is not a missing one");
    }

    @Test
    void hasEventStartingMatchesTheKindExactlyAndTheDetailsBeginning() {
        assertTrue(f.hasEventStarting("web", "online: pid " + worker.pid + " ready after"));
        assertTrue(f.hasEventStarting("web", "online: "), "any detail");
        assertFalse(f.hasEventStarting("web", "onlin: pid " + worker.pid), "the kind is never a prefix");
        assertFalse(f.hasEventStarting("web", "online: ready"));
        assertThrows(IllegalArgumentException.class, () -> f.hasEventStarting("web", "online"), "a kind alone is hasEvent's");
    }
}
