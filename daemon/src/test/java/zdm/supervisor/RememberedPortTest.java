package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpecBuilder;
import zdm.config.Listen;
import zdm.config.Readiness;
import zdm.net.FreePorts;
import zdm.net.ListenAddress;

/**
 * A Node app without port: that listened before starts on the port it was last seen listening on (the store remembers
 * it), bound by the daemon before any worker runs; a remembered port that another program holds now is said, and the
 * workers tell the port again ({@link PortLearning}).
 */
class RememberedPortTest extends FixtureTest {
    private static AppSpecBuilder node(String name) {
        return SupervisorFixture.spec(name).listen(Listen.SOCKET).ready(new Readiness.Uptime()); // no port: it is learned
    }

    @AfterEach
    void closePorts() {
        f.onLoop(() -> f.sup.registry().apps().values().forEach(App::closeListener));
    }

    @Test
    void aNodeAppStartsOnThePortItWasLastSeenListeningOn() throws IOException {
        int port = FreePorts.reserve();
        f.store.rememberPort("api", new ListenAddress(port, null));
        f.start(node("api").build());
        assertEquals(port, f.view("api").port());
        assertFalse(RequestTest.portIsFree(port), "bound for its workers before any of them listens");
    }

    @Test
    void aRememberedPortThatAnotherProgramHoldsIsSaidAndLearnedAgain() throws IOException {
        try (var other = new ServerSocket(0)) {
            f.store.rememberPort("api", new ListenAddress(other.getLocalPort(), null));
            f.start(node("api").build());
            assertTrue(f.store.events("api", 50).stream().anyMatch(e -> e.kind().equals("port-not-bound")
                    && e.detail().endsWith("; the workers tell the port again")), f.events("api").toString());
            assertNull(f.view("api").port(), "not known until a worker listens");
        }
    }

    @Test
    void aFileAppliedAgainKeepsThePortTheRunningAppHolds() throws IOException {
        int port = FreePorts.reserve();
        f.store.rememberPort("api", new ListenAddress(port, null));
        f.start(node("api").build());
        f.start(node("api").build()); // `zdm start ecosystem.yaml` again: the app runs on its remembered port already
        assertTrue(f.store.events("api", 50).stream().noneMatch(e -> e.kind().equals("port-not-bound")),
                "the port the app holds is not bound a second time: " + f.events("api"));
        assertEquals(port, f.view("api").port());
        assertFalse(RequestTest.portIsFree(port));
    }
}
