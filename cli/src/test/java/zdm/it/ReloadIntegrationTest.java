package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.WorkerView;
import zdm.test.Await;

/** The reason zdm exists: reloads under real HTTP load drop nothing. */
@ExtendWith(ZdmHomes.class)
class ReloadIntegrationTest {
    ZdmHome z;
    int port;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        port = FreePorts.reserve();
        z.testApp("http.js");
        writeEcosystem(2, "");
        z.ok("start", "ecosystem.yaml");
    }

    private void writeEcosystem(int instances, String extraEnv) throws Exception {
        writeEcosystem(instances, extraEnv, "5s");
    }

    private void writeEcosystem(int instances, String extraEnv, String listenTimeout) throws Exception {
        z.ecosystem("""
                apps:
                  - name: web
                    script: http.js
                    instances: %d
                    port: %d
                    listen: proxy                 # through the proxy (socket mode: SocketModeIntegrationTest)
                    kill_timeout: 15s
                    listen_timeout: %s
                    env: { ZDM_TEST_TAG: ${TAG}%s }
                """.formatted(instances, port, listenTimeout, extraEnv));
    }

    private void reloadsUnderLoad(boolean keepAlive) throws Exception {
        ReloadsUnderLoad.assertNothingDropped(z, port, keepAlive, 5, ReloadsUnderLoad.OldWorkers.GONE_ON_RETURN,
                keepAlive ? 2 : 0);
    }

    @Test
    void fiveReloadsUnderLoadWithANewConnectionPerRequestDropNothing() throws Exception {
        reloadsUnderLoad(false);
    }

    @Test
    void fiveReloadsUnderKeepAliveLoadDropNothing() throws Exception {
        reloadsUnderLoad(true);
    }

    @Test
    void aBrokenReleaseIsRolledBackWhileTheOldWorkersKeepServing() throws Exception {
        var old = z.pids("web");
        try (var load = Load.start(port, 8, false)) {
            Await.until(ZdmHome.SHORT, () -> load.ok() > 50, "load is flowing");
            writeEcosystem(2, ", BROKEN: '1'");
            var r = z.zdm("start", "ecosystem.yaml"); // a changed config means a rolling reload
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().contains("reload of web failed"), r.toString());
            assertTrue(r.err().contains("broken build: cannot start"), "the replacement's own log lines: " + r);
            assertEquals(old, z.pids("web"), "the old workers keep serving");
            long served = load.ok();
            Await.until(ZdmHome.SHORT, () -> load.ok() > served + 50, "still serving");
            load.close();
            assertEquals(0, load.failed(), "failed requests: " + load);
        }
        var kinds = ((Response.Described) z.request(new Request.Describe("web"))).app().events().stream().map(EventView::kind).toList();
        assertTrue(kinds.contains("reload-failed") && kinds.contains("config-rolled-back"), kinds.toString());
        var spec = ((Response.Described) z.request(new Request.Describe("web"))).app().spec();
        assertTrue(!spec.env().containsKey("BROKEN"), "the previous config is back: " + spec.env());
        // The same broken code deployed on disk and reloaded explicitly: same outcome.
        Files.writeString(z.dir.resolve("http.js"), "console.error('broken build: cannot start'); process.exit(1);\n");
        var r2 = z.zdm("reload", "web");
        assertEquals(1, r2.exitCode(), r2.toString());
        assertEquals(old, z.pids("web"));
    }

    @Test
    void slowRequestsInFlightOnAnOldWorkerCompleteDuringItsDrain() throws Exception {
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        var slow = new ArrayList<java.util.concurrent.Future<Http.Reply>>();
        // Requests that last until the test creates the file, so that they are still in flight when their
        // worker starts draining however long the reload takes to get there on a busy machine.
        var release = z.dir.resolve("release-held-requests");
        for (int i = 0; i < 4; i++) slow.add(pool.submit(() -> Http.get(port, "/hold?file=" + release, 180_000)));
        Await.until(ZdmHome.SHORT, () -> countInLog("slow request started") >= 4, "the held requests reached the workers");
        var before = z.pids("web");
        var reload = pool.submit(() -> z.zdm("reload", "web"));
        Await.until(Duration.ofSeconds(60), () -> z.app("web").workers().stream()
                .anyMatch(w -> w.state() == WorkerView.State.DRAINING && before.contains(w.pid())),
                () -> "an old worker of " + before + " is draining: " + z.app("web") + "\n" + z.daemonLog());
        Files.writeString(release, "");
        var r = reload.get();
        assertEquals(0, r.exitCode(), r.toString());
        for (var f : slow) {
            var reply = f.get();
            assertEquals(200, reply.status());
            assertTrue(before.stream().anyMatch(p -> reply.body().contains("pid " + p)), "served by an old worker: " + reply.body());
        }
        var drained = ((Response.Described) z.request(new Request.Describe("web"))).app().events().stream()
                .filter(e -> e.kind().equals("drained")).map(EventView::detail).toList();
        assertTrue(drained.stream().anyMatch(d -> d.contains("drained") && !d.contains("drained 0 ")), drained.toString());
        pool.close();
    }

    private long countInLog(String text) {
        try {
            var log = Files.readString(z.paths().outLog("web"));
            return log.split(java.util.regex.Pattern.quote(text), -1).length - 1;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void scalingUpAndDownUnderLoadDropsNothing() throws Exception {
        try (var load = Load.start(port, 8, false)) {
            Await.until(ZdmHome.SHORT, () -> load.ok() > 50, "load is flowing");
            z.ok("scale", "web", "4");
            assertEquals(4, z.pids("web").size());
            z.ok("scale", "web", "1");
            assertEquals(1, z.pids("web").size());
            long served = load.ok();
            Await.until(ZdmHome.SHORT, () -> load.ok() > served + 50, "still serving");
            load.close();
            assertEquals(0, load.failed(), "failed requests: " + load);
        }
        assertEquals(1, z.taggedProcesses().size());
    }

    @Test
    void aSecondReloadWhileOneRunsIsRefused() throws Exception {
        // Replacements that boot only once the test creates the file: the first reload is still running
        // when the second CLI gets there, however slowly its JVM starts on a busy machine.
        var booting = z.dir.resolve("boot-released");
        Files.writeString(booting, "");
        writeEcosystem(2, ", START_HOLD_FILE: '" + booting + "'", "60s");
        z.ok("start", "ecosystem.yaml"); // itself a reload, to the config with the hold
        Files.delete(booting);
        var first = Executors.newVirtualThreadPerTaskExecutor().submit(() -> z.zdm("reload", "web"));
        Await.until(ZdmHome.SHORT, () -> z.apps().getFirst().workers().size() >= 2 && reloading(), "the first reload is running");
        var second = z.zdm("reload", "web");
        Files.writeString(booting, "");
        assertEquals(1, second.exitCode(), second.toString());
        assertTrue(second.err().contains("already reloading"), second.toString());
        assertEquals(0, first.get().exitCode(), first.get().toString());
    }

    /**
     * reload_parallel: 2 starts two replacements before the first is ready (with 1, each replacement
     * waits for the previous one's "online"); all four workers are replaced, under load.
     */
    @Test
    void reloadParallelReplacesTwoWorkersAtATime() throws Exception {
        writeEcosystem(4, "");
        Files.writeString(z.dir.resolve("ecosystem.yaml"),
                Files.readString(z.dir.resolve("ecosystem.yaml")).replace("    kill_timeout:", "    reload_parallel: 2\n    kill_timeout:"));
        z.ok("start", "ecosystem.yaml");
        var before = z.pids("web");
        assertEquals(4, before.size());
        try (var load = Load.start(port, 4, false)) {
            Await.until(ZdmHome.SHORT, () -> load.ok() > 50, "load is flowing");
            z.ok("reload", "web");
            load.close();
            assertEquals(0, load.failed(), "failed requests: " + load);
        }
        assertTrue(z.pids("web").stream().noneMatch(before::contains), "every worker replaced: " + before + " -> " + z.pids("web"));
        var lines = z.ok("events", "web", "-n", "200").out().lines().toList();
        int begin = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("web  reload-begin")) begin = i;
        assertTrue(begin >= 0 && lines.get(begin).contains("4 worker(s), 2 at a time"), lines.toString());
        var reload = lines.subList(begin, lines.size());
        // The next replacement starts once one is ready (their min_ready_time windows overlap): two start at once.
        int firstOnline = 0;
        while (firstOnline < reload.size() && !reload.get(firstOnline).contains("]  online:")) firstOnline++;
        long startedBefore = reload.subList(0, firstOnline).stream().filter(l -> l.contains("]  started: pid")).count();
        assertEquals(2, startedBefore, "two replacements spawned before the first was ready:\n" + String.join("\n", reload));
        assertEquals(4, reload.stream().filter(l -> l.contains("  replaced:")).count(), String.join("\n", reload));
    }

    private boolean reloading() {
        var kinds = ((Response.Described) z.request(new Request.Describe("web"))).app().events().stream().map(EventView::kind).toList();
        return kinds.lastIndexOf("reload-begin") > kinds.lastIndexOf("reload-end");
    }
}
