package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpec;
import zdm.config.Listen;
import zdm.net.FreePorts;
import zdm.protocol.AppView;
import zdm.protocol.ErrorKind;

/**
 * {@code zdm start <file>} (ApplySpecs, ApplyPlan): a new app is registered and started, an unchanged one started
 * again, a changed one reloaded without downtime (or only scaled, when only its instances changed), and a file that
 * cannot be applied whole changes nothing.
 */
class ApplyFileTest extends RequestTest {

    private String applied(AppSpec... specs) {
        return message(ask(s -> s.apply(List.of(specs), UID, progress::add)));
    }

    private static AppSpec web(int instances, String greeting) {
        return SupervisorFixture.spec("web").instances(instances).env(Map.of("GREETING", greeting)).build();
    }

    private String greetingOf(String app) {
        return f.on(() -> f.sup.registry().apps().get(app).spec().process().env().get("GREETING"));
    }

    @Test
    void aNewAppIsRegisteredStartedAndAnsweredOnceOnline() {
        assertEquals("started web", applied(web(2, "hello")));
        assertEquals(List.of("online", "online"), f.states("web"));
        assertTrue(f.hasEvent("web", "registered: from <command line>"), f.events("web").toString());
        assertTrue(storedRunning("web"));
    }

    @Test
    void autostartFalseRegistersTheAppStoppedAndSaysHowToStartIt() {
        var job = SupervisorFixture.spec("job").autostart(false).build();
        assertEquals("started job", applied(job));
        assertTrue(f.host.procs.isEmpty());
        assertEquals(AppView.Desired.STOPPED, f.view("job").desired());
        assertFalse(storedRunning("job"));
        assertTrue(f.hasEvent("job", "registered: from <command line>"), f.events("job").toString());
        assertTrue(f.hasEvent("job", "not started: autostart: false; start it with 'zdm start job'"), f.events("job").toString());
    }

    @Test
    void autostartFalseOfAStoppedAppTakesItsChangedConfigAndLeavesItStopped() {
        applied(SupervisorFixture.spec("job").autostart(false).build());
        applied(SupervisorFixture.spec("job").autostart(false).env(Map.of("GREETING", "hi")).build());
        assertEquals("hi", greetingOf("job"));
        assertTrue(f.hasEvent("job", "config-changed"), f.events("job").toString());
        assertTrue(f.host.procs.isEmpty());
        assertEquals(2, f.events("job").stream().filter(e -> e.startsWith("not started")).count());
        assertEquals(1, f.events("job").stream().filter(e -> e.startsWith("registered")).count(), "registered once");
    }

    @Test
    void autostartFalseLeavesAnAppThatRunsRunning() {
        applied(web(1, "hello"));
        applied(SupervisorFixture.spec("web").autostart(false).env(Map.of("GREETING", "hello")).build());
        assertEquals(List.of("online"), f.states("web"));
        assertTrue(storedRunning("web"), "a daemon restart starts it again");
        assertFalse(f.hasEvent("web", "not started"), f.events("web").toString());
    }

    @Test
    void anUnchangedFileStartsAStoppedAppAgain() {
        applied(web(1, "hello"));
        askNow(s -> s.stop("web", UID, progress::add));
        assertEquals("started web", applied(web(1, "hello")));
        assertEquals(List.of("online"), f.states("web"));
        assertTrue(storedRunning("web"));
        assertTrue(requested("web", "start"), f.events("web").toString());
        assertFalse(f.hasEvent("web", "config-changed"), f.events("web").toString());
    }

    @Test
    void anUnchangedFileLeavesARunningAppAlone() {
        applied(web(2, "hello"));
        var running = f.host.alive("web");
        applied(web(2, "hello"));
        assertEquals(running, f.host.alive("web"));
        assertEquals(2, f.host.procs.size());
    }

    @Test
    void aChangedFileReloadsARunningAppWorkerByWorker() {
        applied(web(2, "hello"));
        var old = f.host.alive("web");
        assertEquals("started web", applied(web(2, "hi")));
        assertEquals("hi", greetingOf("web"));
        assertTrue(old.stream().noneMatch(FakeHost.Proc::alive));
        assertTrue(f.hasEvent("web", "config-changed: from <command line>"), f.events("web").toString());
        assertTrue(f.hasEvent("web", "reload-end: 2 of 2 worker(s) replaced in 3000 ms"), f.events("web").toString());
        assertEquals(List.of("online", "online"), f.states("web"));
    }

    @Test
    void aChangeOfInstancesOnlyScalesWithoutReplacingAnyWorker() {
        applied(web(2, "hello"));
        var old = f.host.alive("web");
        applied(web(3, "hello"));
        assertEquals(List.of("online", "online", "online"), f.states("web"));
        assertTrue(old.stream().allMatch(FakeHost.Proc::alive));
        assertFalse(f.hasEvent("web", "reload-begin"), f.events("web").toString());
        applied(web(1, "hello"));
        assertEquals(List.of("online"), f.states("web"));
        assertTrue(old.getFirst().alive());
    }

    @Test
    void aChangeOfInstancesAndOfTheEnvironmentReloadsAndScales() {
        applied(web(2, "hello"));
        applied(web(3, "hi"));
        assertEquals(List.of("online", "online", "online"), f.states("web"));
        assertTrue(f.hasEvent("web", "reload-end"), f.events("web").toString());
        assertEquals(3, f.host.alive("web").size());
        assertEquals(3, f.store.app("web").orElseThrow().spec().instances());
    }

    @Test
    void aChangedFileOfAStoppedAppStartsItWithTheNewConfig() {
        applied(web(1, "hello"));
        askNow(s -> s.stop("web", UID, progress::add));
        assertEquals("started web", applied(web(2, "hi")));
        assertEquals(List.of("online", "online"), f.states("web"));
        assertEquals("hi", greetingOf("web"));
        assertFalse(f.hasEvent("web", "reload-begin"), "nothing to reload: " + f.events("web"));
    }

    @Test
    void aChangedFileWhoseReloadFailsAnswersTheFailureAndKeepsThePreviousConfig() {
        applied(web(1, "hello"));
        f.host.spawnFailures.put("web", "cannot run 'node': not found on PATH");
        var answer = failed(ask(s -> s.apply(List.of(web(1, "hi")), UID, progress::add)), ErrorKind.FAILED);
        assertEquals("reload of web failed: worker 0: the replacement could not be started: cannot run 'node': not found on PATH"
                + "; 0 of 1 workers replaced, the others keep serving", answer.message());
        assertEquals("hello", greetingOf("web"));
        assertEquals("hello", f.store.app("web").orElseThrow().spec().process().env().get("GREETING"));
        assertTrue(f.hasEvent("web", "config-rolled-back"), f.events("web").toString());
        assertEquals(List.of("online"), f.states("web"));
    }

    @Test
    void aFileThatCannotBeSavedChangesNothingAndFreesThePortsItOpened() throws IOException {
        int port = FreePorts.reserve();
        f.store.close();
        var answer = failed(askNow(s -> s.apply(List.of(SupervisorFixture.spec("web").port(port).build()), UID, progress::add)),
                ErrorKind.INTERNAL);
        assertTrue(answer.message().contains("already closed"), answer.message());
        assertEquals(List.of(), f.sup.appNames());
        assertTrue(f.host.procs.isEmpty());
        assertTrue(portIsFree(port), "the port opened for the file was closed again");
    }

    @Test
    void aPortOfAnotherAppIsRefusedAndNothingChanges() throws IOException {
        int port = FreePorts.reserve();
        applied(SupervisorFixture.spec("api").port(port).build());
        var answer = failed(askNow(s -> s.apply(List.of(web(1, "hello"), SupervisorFixture.spec("admin").port(port).build()),
                UID, progress::add)), ErrorKind.INVALID_CONFIG);
        assertEquals("app admin: port " + port + " is already used by app api; choose another port or 'zdm delete api'",
                answer.message());
        assertEquals(List.of("api"), f.sup.appNames(), "web of the same file was not registered either");
    }

    @Test
    void anAppKeepsItsOwnPortWhenItsFileIsStartedAgain() throws IOException {
        int port = FreePorts.reserve();
        var api = SupervisorFixture.spec("api").port(port).build();
        applied(api);
        var first = f.host.alive("api");
        assertEquals("started api", applied(api));
        assertEquals(first, f.host.alive("api"));
        assertEquals(port, f.view("api").port());
    }

    @Test
    void aPortTakenByAnotherProgramIsRefusedAndNothingIsRegistered() throws IOException {
        try (var other = new ServerSocket(0)) {
            var answer = failed(askNow(s -> s.apply(List.of(web(1, "hello"),
                    SupervisorFixture.spec("api").port(other.getLocalPort()).build()), UID, progress::add)), ErrorKind.FAILED);
            assertTrue(answer.message().contains("port " + other.getLocalPort()), answer.message());
            assertEquals(List.of(), f.sup.appNames());
            assertTrue(f.host.procs.isEmpty());
        }
    }

    @Test
    void aListenModeChangedWhileTheAppRunsIsRefusedWithBothWaysOut() throws IOException {
        int port = FreePorts.reserve();
        applied(SupervisorFixture.spec("api").port(port).build());
        var answer = failed(askNow(s -> s.apply(List.of(SupervisorFixture.spec("api").port(port).listen(Listen.SOCKET).build()),
                UID, progress::add)), ErrorKind.INVALID_CONFIG);
        assertEquals("app api: listen: changed from proxy to socket while the app runs; stop it first ('zdm stop api'), "
                + "then start it with the new config, or write listen: proxy to keep it as it runs", answer.message());
        assertFalse(f.hasEvent("api", "config-changed"), f.events("api").toString());
    }

    @Test
    void aFileWhoseLaterPortIsTakenLeavesNoneOfItsPortsBound() throws IOException {
        int first = FreePorts.reserve();
        try (var other = new ServerSocket(0)) {
            failed(askNow(s -> s.apply(List.of(SupervisorFixture.spec("web").port(first).build(),
                    SupervisorFixture.spec("api").port(other.getLocalPort()).build()), UID, progress::add)), ErrorKind.FAILED);
        }
        assertTrue(portIsFree(first), "web's port, bound before api's failed, was let go again");
        assertEquals(List.of(), f.sup.appNames());
    }

    @Test
    void aListenModeChangeRefusedLeavesTheFilesOtherPortsUnbound() throws IOException {
        int port = FreePorts.reserve();
        applied(SupervisorFixture.spec("api").port(port).build());
        int first = FreePorts.reserve();
        failed(askNow(s -> s.apply(List.of(SupervisorFixture.spec("web").port(first).build(),
                SupervisorFixture.spec("api").port(port).listen(Listen.SOCKET).build()), UID, progress::add)), ErrorKind.INVALID_CONFIG);
        assertTrue(portIsFree(first), "web's port, bound before api's refusal, was let go again");
        assertEquals(List.of("api"), f.sup.appNames());
    }

    @Test
    void aChangedFileOfAnAppWhoseWorkersAllErroredStartsItWithTheNewConfigRatherThanReloadingIt() {
        f.start(SupervisorFixture.spec("web").maxRestarts(0).env(Map.of("GREETING", "hi")).build());
        f.host.newest("web", 0).exits(1); // within min_uptime, no restarts allowed: errored
        assertEquals(List.of("errored"), f.states("web"));
        applied(SupervisorFixture.spec("web").maxRestarts(0).env(Map.of("GREETING", "hello")).build());
        assertEquals(List.of("online"), f.states("web"));
        assertEquals("hello", greetingOf("web"));
        assertFalse(f.hasEvent("web", "reload-begin"), "no process to replace: " + f.events("web"));
    }
}
