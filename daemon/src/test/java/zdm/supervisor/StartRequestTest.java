package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zdm.config.Readiness;
import zdm.protocol.ErrorKind;

/**
 * {@code zdm start <app|all> [--update-env]} of registered apps: a stopped app starts and the answer comes once it
 * is online; with {@code --update-env}, a running app whose environment changes is reloaded with it, and a stopped
 * one starts with it.
 */
class StartRequestTest extends RequestTest {

    private void stopped(String app) {
        f.start(SupervisorFixture.spec(app).env(Map.of("GREETING", "hello")).build());
        f.host.advance(1_000);
        askNow(s -> s.stop(app, UID, progress::add));
    }

    private String env(String app, String name) {
        return f.on(() -> f.sup.registry().apps().get(app).spec().process().env().get(name));
    }

    @Test
    void startOfAStoppedAppAnswersOnceItsWorkersAreOnlineAndIsSaved() {
        stopped("web");
        var answer = ask(s -> s.startApps("web", UID, progress::add));
        assertEquals("started web", message(answer));
        assertEquals(List.of("online"), f.states("web"));
        assertTrue(storedRunning("web"), "a daemon restart starts it again");
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("web[0] online")), progress.toString());
    }

    @Test
    void startOfARunningAppChangesNothing() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        var running = f.host.alive("web");
        assertEquals("started web", message(ask(s -> s.startApps("web", UID, progress::add))));
        assertEquals(running, f.host.alive("web"));
        assertEquals(1, f.host.procs.size());
    }

    @Test
    void startWithUpdateEnvReloadsARunningAppWhoseEnvironmentChanged() {
        f.start(SupervisorFixture.spec("web").env(Map.of("GREETING", "hello")).build());
        f.host.advance(1_000);
        var old = f.host.newest("web", 0);
        var answer = ask(s -> s.startApps("web", Map.of("GREETING", "hi", "PATH", "/usr/bin"), UID, progress::add));
        assertEquals("started web", message(answer));
        assertFalse(old.alive(), "replaced by a reload");
        assertEquals("hi", env("web", "GREETING"));
        assertTrue(f.hasEvent("web", "reload: --update-env: 2 variable(s) changed: GREETING, PATH"), f.events("web").toString());
        assertTrue(f.hasEvent("web", "reload-end"), f.events("web").toString());
        assertEquals("hi", f.store.app("web").orElseThrow().spec().process().env().get("GREETING"), "kept after a daemon restart");
    }

    @Test
    void startWithUpdateEnvLeavesARunningAppWithTheSameEnvironmentAlone() {
        f.start(SupervisorFixture.spec("web").env(Map.of("GREETING", "hello")).build());
        f.host.advance(1_000);
        ask(s -> s.startApps("web", Map.of("GREETING", "hello"), UID, progress::add));
        assertEquals(1, f.host.procs.size(), "nothing reloaded");
        assertFalse(f.hasEvent("web", "reload") || f.hasEvent("web", "reload-begin"), f.events("web").toString());
    }

    @Test
    void startWithUpdateEnvStartsAStoppedAppWithTheNewEnvironment() {
        stopped("web");
        var answer = ask(s -> s.startApps("web", Map.of("GREETING", "hi"), UID, progress::add));
        assertEquals("started web", message(answer));
        assertEquals("hi", env("web", "GREETING"));
        assertTrue(f.hasEvent("web", "start: --update-env: 1 variable(s) changed: GREETING"), f.events("web").toString());
        assertFalse(f.hasEvent("web", "reload") || f.hasEvent("web", "reload-begin"), "a stopped app is started, not reloaded: " + f.events("web"));
    }

    @Test
    void startWithUpdateEnvOfAnAppThatCannotBeReloadedStartsItInstead() {
        f.start(SupervisorFixture.spec("web").env(Map.of("GREETING", "hello")).build());
        f.host.advance(1_000);
        var reload = f.reload("web"); // busy: a second reload would be refused
        ask(s -> s.startApps("web", Map.of("GREETING", "hi"), UID, progress::add));
        assertTrue(reload.get().ok(), String.valueOf(reload.get()));
        assertEquals("hi", env("web", "GREETING"));
        assertTrue(f.hasEvent("web", "start: --update-env: 1 variable(s) changed: GREETING"), f.events("web").toString());
    }

    @Test
    void startWithUpdateEnvAnswersTheFailureOfItsReload() {
        f.start(SupervisorFixture.spec("web").env(Map.of("GREETING", "hello")).build());
        f.host.advance(1_000);
        f.host.spawnFailures.put("web", "cannot run 'node': not found on PATH");
        var answer = failed(ask(s -> s.startApps("web", Map.of("GREETING", "hi"), UID, progress::add)), ErrorKind.FAILED);
        assertTrue(answer.message().startsWith("reload of web failed: worker 0: the replacement could not be started"),
                answer.message());
        assertEquals("hello", env("web", "GREETING"), "the environment that worked is put back");
        assertEquals(List.of("online"), f.states("web"));
    }

    @Test
    void startOfAnAppThatIsNotThereIsNotFound() {
        failed(askNow(s -> s.startApps("web", UID, progress::add)), ErrorKind.NOT_FOUND);
        failed(askNow(s -> s.startApps("web", Map.of("A", "b"), UID, progress::add)), ErrorKind.NOT_FOUND);
    }

    /** The answer does not wait forever: after min_uptime (listen_timeout for an app with a port) and 5 s more. */
    @Test
    void aStartNotReadyInTimeIsAnsweredAfterItsSettleTimeout() {
        f.start(SupervisorFixture.spec("web").autostart(false).ready(new Readiness.Log("listening")).minUptimeMs(1_000)
                .listenTimeoutMs(20_000).build());
        var answer = askNow(s -> s.startApps("web", UID, progress::add)); // the clock stands still: never ready
        assertEquals("timed out after 6 s waiting for web", message(answer));
        assertEquals(List.of("starting"), f.states("web"));
    }
}
