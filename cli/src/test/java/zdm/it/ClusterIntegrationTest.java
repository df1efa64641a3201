package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.proc.Posix;
import zdm.proc.Signal;
import zdm.protocol.AppView;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.WorkerView;
import zdm.test.Await;

/** Real daemon, real node workers, real HTTP through the daemon-owned port. */
@ExtendWith(ZdmHomes.class)
class ClusterIntegrationTest {
    ZdmHome z;
    int port;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        port = FreePorts.reserve();
        z.testApp("http.js");
        z.ecosystem("""
                apps:
                  - name: web
                    script: http.js
                    instances: 2
                    port: %d
                    listen: proxy                 # the proxy's round robin (socket mode: SocketModeIntegrationTest)
                    env: { ZDM_TEST_TAG: ${TAG} }
                  - name: sleeper
                    command: sleep 1000
                    min_uptime: 300ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(port));
    }

    @Test
    void startRunsEveryWorkerAndTheDaemonPortReachesBoth() throws Exception {
        var r = z.ok("start", "ecosystem.yaml");
        assertTrue(r.out().contains("web") && r.out().contains("sleeper"), r.toString());
        var pids = z.pids("web");
        assertEquals(2, pids.size(), "two web workers: " + z.apps());
        assertEquals(2, new HashSet<>(pids).size());
        pids.forEach(p -> assertTrue(ZdmHome.alive(p), "pid " + p + " alive"));
        assertEquals(3, z.taggedProcesses().size(), "2 web + 1 sleeper and nothing else: " + z.taggedProcesses());
        String ls = z.ok("ls").out();
        assertTrue(ls.lines().anyMatch(l -> l.matches("web\\s+proxy\\s+" + port + "\\s+2/2 ready.*")), "ls shows the listen mode: " + ls);
        assertTrue(ls.lines().anyMatch(l -> l.matches("sleeper\\s+fork\\s+-\\s+1/1 ready.*")), "no port: fork, as pm2 says: " + ls);

        var seen = new HashSet<String>();
        for (int i = 0; i < 20; i++) {
            // A fresh connection each time, so round robin spreads them.
            var resp = Http.get(port, "/");
            assertEquals(200, resp.status());
            seen.add(resp.body().replaceAll("(?s).*worker (\\d+).*", "$1"));
        }
        assertEquals(2, seen.size(), "both workers answered: " + seen);
    }

    @Test
    void aSigkilledWorkerIsReplacedAfterBackoff() {
        z.ok("start", "ecosystem.yaml");
        long victim = z.pids("sleeper").getFirst();
        Posix.kill(victim, Signal.SIGKILL);
        var w = Await.value(ZdmHome.SHORT, () -> z.app("sleeper").workers().getFirst(),
                v -> v.pid() != 0 && v.pid() != victim && v.state() == WorkerView.State.ONLINE, "a new sleeper pid");
        assertEquals(1, w.restarts());
        assertEquals("signal SIGKILL", w.lastExit());
        assertTrue(!ZdmHome.alive(victim));
        var events = ((Response.Described) z.request(new Request.Describe("sleeper"))).app().events();
        assertTrue(events.stream().map(EventView::kind).toList().containsAll(java.util.List.of("exited", "restarted")), events.toString());
    }

    @Test
    void aCrashLoopEndsErroredAndLeavesOtherAppsAlone() throws Exception {
        z.ok("start", "ecosystem.yaml");
        var webPids = z.pids("web");
        Files.writeString(z.dir.resolve("crash.yaml"), """
                apps:
                  - name: crasher
                    command: [sh, -c, "echo about to crash; exit 3"]
                    min_uptime: 1s
                    max_restarts: 3
                    restart_delay: 20ms
                    env: { ZDM_TEST_TAG: %s }
                """.formatted(z.tag));
        var started = z.zdm("start", "crash.yaml");
        assertEquals(1, started.exitCode(), "a start whose worker crashes fails: " + started);
        assertTrue(started.err().contains("crasher: 1 of 1 workers not online"), started.toString());
        var crasher = Await.value(ZdmHome.SHORT, () -> z.app("crasher"), a -> a.status() == AppView.Status.ERRORED, "crasher errored");
        assertEquals(WorkerView.State.ERRORED, crasher.workers().getFirst().state());
        assertEquals("code 3", crasher.workers().getFirst().lastExit());
        assertEquals(3, crasher.workers().getFirst().restarts());
        assertEquals(webPids, z.pids("web"), "web untouched");
        assertEquals(AppView.Status.RUNNING, z.app("web").status());
        // Errored means no more restarts: the worker stays down.
        long restarts = crasher.workers().getFirst().restarts();
        Await.holdsFor(Duration.ofSeconds(1), () -> z.app("crasher").workers().getFirst().restarts() == restarts
                && z.app("crasher").workers().getFirst().pid() == 0, "errored worker stays down");
        assertTrue(z.zdm("logs", "crasher", "-n", "50").out().contains("about to crash"));
    }

    @Test
    void stoppingAWorkerThatIgnoresSigtermKillsItsWholeTree() throws Exception {
        Files.writeString(z.dir.resolve("stubborn.yaml"), """
                apps:
                  - name: stubborn
                    command: [sh, -c, "trap '' TERM; sleep 1000 & sleep 1000 & echo children up; wait"]
                    kill_timeout: 1s
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: %s }
                """.formatted(z.tag));
        z.ok("start", "stubborn.yaml");
        var tree = Await.value(ZdmHome.SHORT, z::taggedProcesses, l -> l.size() == 3, "sh and two sleeps");
        long began = System.nanoTime();
        z.ok("stop", "stubborn");
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertTrue(tookMs >= 900, "waited for kill_timeout before SIGKILL, took " + tookMs + " ms");
        for (long pid : tree) assertTrue(!ZdmHome.alive(pid), "pid " + pid + " of the tree survived");
        assertEquals(0, z.taggedProcesses().size());
        assertEquals(AppView.Status.STOPPED, z.app("stubborn").status());
        var kinds = ((Response.Described) z.request(new Request.Describe("stubborn"))).app().events().stream().map(EventView::kind).toList();
        assertTrue(kinds.contains("killed"), kinds.toString());
    }

    @Test
    void invalidConfigIsReportedWithPositionsAndStartsNothing() throws Exception {
        z.ok("start", "ecosystem.yaml");
        var before = z.apps();
        Files.writeString(z.dir.resolve("bad.yaml"), """
                apps:
                  - name: web
                    script: http.js
                    instances: two
                  - name: other
                    command: sleep 1
                    instanses: 2
                """);
        var r = z.zdm("start", "bad.yaml");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("bad.yaml:4:16: apps[0].instances"), r.toString());
        assertTrue(r.err().contains("did you mean \"instances\"?"), r.toString());
        assertTrue(!r.err().contains("Exception"), "no stack trace: " + r);
        assertEquals(before.stream().map(a -> a.name() + a.workers().stream().map(w -> w.pid()).toList()).toList(),
                z.apps().stream().map(a -> a.name() + a.workers().stream().map(w -> w.pid()).toList()).toList());
    }

    @Test
    void scaleUpAndDownChangesTheWorkerCount() {
        z.ok("start", "ecosystem.yaml");
        z.ok("scale", "web", "3");
        assertEquals(3, z.pids("web").size());
        z.ok("scale", "web", "1");
        assertEquals(1, z.pids("web").size());
        assertEquals(2, z.taggedProcesses().size(), "1 web + 1 sleeper");
    }

    @Test
    void restartReplacesEveryProcess() {
        z.ok("start", "ecosystem.yaml");
        var before = new HashSet<>(z.pids("web"));
        z.ok("restart", "web");
        var after = z.pids("web");
        assertEquals(2, after.size());
        after.forEach(p -> assertTrue(!before.contains(p), "pid " + p + " is new"));
        assertEquals(AppView.Status.RUNNING, z.app("web").status());
    }

    @Test
    void deleteStopsAndForgetsTheApp() {
        z.ok("start", "ecosystem.yaml");
        var pids = z.pids("sleeper");
        z.ok("delete", "sleeper");
        assertTrue(z.apps().stream().noneMatch(a -> a.name().equals("sleeper")));
        pids.forEach(p -> assertTrue(!ZdmHome.alive(p)));
        assertNotEquals(0, z.zdm("describe", "sleeper").exitCode());
    }
}
