package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpecBuilder;
import zdm.config.Readiness;
import zdm.net.FreePorts;
import zdm.proc.Signal;

/**
 * liveness_interval: an online worker behind the proxy is asked every interval whether it still answers (any HTTP
 * status, on its private PORT); after liveness_failures misses in a row it is killed with SIGKILL (a hung process
 * would not act on its stop signal) and restarted like a crash. The fake host's probe answers while the fake process
 * "listens"; the app's public port is a real one.
 */
class LivenessProbeTest extends FixtureTest {
    private static AppSpecBuilder probed(String name) throws Exception {
        return SupervisorFixture.spec(name).port(FreePorts.reserve()).livenessIntervalMs(1_000).livenessTimeoutMs(500)
                .livenessFailures(3);
    }

    /** Starts the app and lets its worker go online (ready after min_uptime, 1 s). */
    private FakeHost.Proc online(AppSpecBuilder spec) {
        f.start(spec.build());
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states(spec.build().name()));
        return f.host.newest(spec.build().name(), 0);
    }

    @Test
    void aWorkerThatStopsAnsweringIsKilledAfterLivenessFailuresMissesAndRestarted() throws Exception {
        var worker = online(probed("api").stopSignal(Signal.SIGINT));
        f.host.advance(5_000);
        assertTrue(worker.alive(), "answering: left alone");
        worker.listening = false; // hung: the kernel still holds the port, nothing answers
        f.host.advance(2_000);
        assertTrue(worker.alive(), "two misses are not three");
        assertFalse(f.hasEvent("api", "unresponsive"), f.events("api").toString());
        f.host.advance(1_000);
        assertFalse(worker.alive());
        assertEquals(List.of(Signal.SIGKILL), worker.signals, "SIGKILL, not the app's stop signal");
        assertTrue(f.hasEvent("api", "unresponsive: pid " + worker.pid + " did not answer GET / on its PORT " + worker.port
                + " within 500 ms, 3 times in a row (liveness_failures); killing it"), f.events("api").toString());
        assertTrue(f.logs.tail("api", 50).stream().anyMatch(e -> e.line().endsWith("worker 0 did not answer GET / on its PORT " + worker.port
                + " within 500 ms, 3 times in a row (liveness_failures); killing it")), "said in the app's own log too");
        assertTrue(f.hasEvent("api", "exited: signal SIGKILL after 9000 ms"), f.events("api").toString());
        assertEquals(List.of("waiting-restart"), f.states("api"), "restarted through the backoff, as after a crash");
        f.host.advance(1_000);
        assertEquals(2, f.host.procs.size(), "a new process took the slot");
    }

    @Test
    void anAnswerBetweenMissesStartsTheCountAgain() throws Exception {
        var worker = online(probed("api"));
        worker.listening = false;
        f.host.advance(2_000); // two misses
        worker.listening = true;
        f.host.advance(1_000); // an answer
        worker.listening = false;
        f.host.advance(2_000); // two misses again
        assertTrue(worker.alive(), "never three in a row: " + f.events("api"));
        f.host.advance(1_000);
        assertFalse(worker.alive(), "the third in a row");
    }

    @Test
    void theProbeAsksTheReadyHttpPath() throws Exception {
        var worker = online(probed("api").ready(new Readiness.Http("/healthz")).livenessFailures(1));
        worker.listening = false;
        f.host.advance(1_000);
        assertTrue(f.hasEvent("api", "unresponsive: pid " + worker.pid + " did not answer GET /healthz on its PORT " + worker.port
                + " within 500 ms, 1 times in a row (liveness_failures); killing it"), f.events("api").toString());
    }

    @Test
    void withoutLivenessIntervalAHungWorkerIsLeftAlone() throws Exception {
        var worker = online(probed("api").livenessIntervalMs(0));
        worker.listening = false;
        f.host.advance(60_000);
        assertTrue(worker.alive());
        assertFalse(f.hasEvent("api", "unresponsive"), f.events("api").toString());
    }

    @Test
    void aWorkerWithoutAPortIsNotProbed() {
        f.start(SupervisorFixture.spec("queue").livenessIntervalMs(1_000).livenessFailures(1).build());
        f.host.advance(1_000);
        var worker = f.host.newest("queue", 0);
        f.host.advance(60_000);
        assertTrue(worker.alive(), "no PORT to ask: " + f.events("queue"));
    }

    @Test
    void aWorkerThatWasStoppedIsNoLongerProbed() throws Exception {
        var worker = online(probed("api").livenessFailures(1));
        f.onLoop(() -> f.sup.registry().apps().get("api").stop(false));
        f.host.advance(100);
        assertFalse(worker.alive());
        f.host.advance(10_000);
        assertFalse(f.hasEvent("api", "unresponsive"), f.events("api").toString());
        assertEquals(List.of(Signal.SIGTERM), worker.signals);
    }

    @Test
    void aNewProcessOfTheSlotGetsAProbeChainOfItsOwn() throws Exception {
        var first = online(probed("api").livenessFailures(1));
        first.exits(1); // a crash: restarted after the backoff
        f.host.advance(100);
        f.host.advance(1_000);
        var second = f.host.newest("api", 0);
        assertTrue(second != first && second.alive(), f.events("api").toString());
        assertEquals(List.of("online"), f.states("api"));
        second.listening = false;
        f.host.advance(1_000);
        assertFalse(second.alive(), "the new process's own chain found it hung: " + f.events("api"));
    }

    @Test
    void aStoppedWorkerIsProbedNoMore() throws Exception {
        online(probed("api"));
        f.host.advance(3_000);
        int probed = f.host.probes.size();
        assertTrue(probed >= 3, "probed once a second while online: " + probed);
        f.onLoop(() -> f.sup.registry().apps().get("api").stop(false));
        f.host.advance(10_000);
        assertEquals(probed, f.host.probes.size(), "its checks ended with it: " + f.events("api"));
        f.onLoop(() -> f.sup.registry().apps().values().forEach(App::closeListener));
    }
}
