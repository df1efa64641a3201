package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import zdm.protocol.Response;

/**
 * Whether an app runs, as the store keeps it for the next daemon, when a request also changes its environment
 * (pm2's --update-env): a stopped app started or restarted with a new environment is saved running with that
 * environment, so a daemon restart starts it again; one that is stopped stays saved stopped.
 */
class DesiredStateSavedTest extends RequestTest {
    private void startedWithUpdateEnv(Function<Supervisor, Response> request) {
        f.start(SupervisorFixture.spec("web").env(Map.of("GREETING", "hi")).build());
        f.host.advance(1_000);
        askNow(s -> s.stop("web", UID, progress::add));
        assertFalse(storedRunning("web"));
        ask(request);
        assertEquals(List.of("online"), f.states("web"));
        var stored = f.store.app("web").orElseThrow();
        assertEquals("hello", stored.spec().process().env().get("GREETING"), "the new environment is saved");
        assertTrue(stored.desiredRunning(), "a daemon restart starts it again");
    }

    @Test
    void aStoppedAppStartedWithANewEnvironmentIsSavedRunning() {
        startedWithUpdateEnv(s -> s.startApps("web", Map.of("GREETING", "hello"), UID, progress::add));
    }

    @Test
    void aStoppedAppRestartedWithANewEnvironmentIsSavedRunning() {
        startedWithUpdateEnv(s -> s.restart("web", Map.of("GREETING", "hello"), UID, progress::add));
    }

    @Test
    void aRunningAppReloadedWithANewEnvironmentStaysSavedRunningAndAStopSavesItStopped() {
        f.start(SupervisorFixture.spec("web").env(Map.of("GREETING", "hi")).build());
        f.host.advance(1_000);
        ask(s -> s.reload("web", Map.of("GREETING", "hello"), UID, progress::add));
        assertTrue(storedRunning("web"));
        askNow(s -> s.stop("web", UID, progress::add));
        assertFalse(storedRunning("web"));
    }
}
