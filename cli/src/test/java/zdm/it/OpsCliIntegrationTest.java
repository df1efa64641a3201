package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.protocol.AppView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;
import zdm.test.Await;

/**
 * The operator's view on a real daemon: events, describe masking, logs across a reload, flush, rotation.
 * One daemon for the class (each zdm command is a JVM start, which costs seconds on a loaded machine);
 * every test leaves web with two online workers.
 */
@ExtendWith(ZdmHomes.class)
class OpsCliIntegrationTest {
    /** An HTTP worker that prints its pid every 100 ms, so a follower can tell old workers from new ones. */
    private static final String WEB = "node -e \"require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,"
            + " '127.0.0.1'); setInterval(()=>console.log('alive '+process.pid),100); process.on('SIGTERM',()=>process.exit(0))\"";

    static ZdmHome z;
    static int port;

    @BeforeAll
    static void setUp(ZdmHome home) throws Exception {
        z = home;
        port = FreePorts.reserve();
        z.ecosystem("""
                apps:
                  - name: web
                    command: %s
                    instances: 2
                    port: %d
                    log_max_size: 4K
                    log_max_files: 2
                    env: { ZDM_TEST_TAG: ${TAG}, API_TOKEN: t0ps3cret, db_password: hunter2, NODE_ENV: production }
                  - name: crashy
                    command: node -e "console.error('crashing on purpose'); setTimeout(()=>process.exit(3),300)"
                    min_uptime: 1s
                    restart_delay: 100ms
                    max_restarts: 2
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(WEB, port));
        z.zdm("start", "ecosystem.yaml"); // exits 1: crashy never comes up, on purpose
        Await.until(ZdmHome.SHORT, () -> z.app("web").status() == AppView.Status.RUNNING, "web runs");
    }

    @Test
    void eventsTellStartsReadinessExitsRestartsAndAReloadWithWhoAsked() {
        Await.until(ZdmHome.SHORT, () -> z.app("crashy").status() == AppView.Status.ERRORED, "crashy errored after 2 restarts");
        assertTrue(z.request(new Request.Reload("web")) instanceof Response.Apps);
        String all = z.ok("events", "-n", "200").out();
        int uid = (int) new com.sun.security.auth.module.UnixSystem().getUid();
        for (String expected : new String[] {"zdm  daemon-started", "web  registered: from ", "(uid " + uid + ")",
                "web[0]  started: pid", "web[1]  online: pid", "crashy[0]  exited: code 3 after",
                "crashy[0]  restarted: after", "crashy[0]  errored", "web  reload (uid " + uid + ")", "web  reload-begin: 2 worker(s)",
                "web[0]  replaced: new pid", "web[1]  replaced: new pid", "web  reload-end"}) {
            assertTrue(all.contains(expected), "missing '" + expected + "' in:\n" + all);
        }
        String web = z.ok("events", "web", "-n", "1000").out();
        assertTrue(web.contains("web  reload-end") && !web.contains("crashy"), web);
        assertEquals(3, z.ok("events", "-n", "3").out().lines().count());
    }

    /**
     * --since with an interval that excludes the daemon's start: an event made just before the command
     * is shown, one older than the interval is not. Retried, because the CLI's own start-up (seconds
     * on a loaded machine) must fit in the interval; a --since that filters nothing never passes.
     */
    @Test
    void eventsSinceShowsOnlyTheEventsOfTheInterval() {
        String shown = Await.value(java.time.Duration.ofSeconds(90), () -> {
            z.ok("scale", "web", "2"); // an event that changes nothing the other tests look at
            return z.ok("events", "--since", "8s", "-n", "1000").out();
        }, out -> out.contains("web  scale: 2 -> 2") && !out.contains("daemon-started"),
                "events --since 8s: the fresh scale without the daemon's start");
        assertTrue(z.ok("events", "-n", "1000").out().contains("daemon-started"), "the older event exists: " + shown);
    }

    /** zdm events -f on the command line: the history line first, then each new event as it happens. */
    @Test
    void eventsFollowOnTheCommandLinePrintsNewEvents() throws Exception {
        var follow = z.background(java.util.Map.of(), "events", "web", "-f", "-n", "1");
        try {
            Await.until(ZdmHome.SHORT, () -> follow.out().lines().count() >= 1, () -> "the history line: " + follow.err());
            long scales = follow.out().lines().filter(l -> l.contains("web  scale: 2 -> 2")).count();
            z.ok("scale", "web", "2");
            Await.until(ZdmHome.SHORT, () -> follow.out().lines().filter(l -> l.contains("web  scale: 2 -> 2")).count() > scales,
                    () -> "the new event is printed by the running follow: " + follow.out());
        } finally {
            follow.process().destroy();
            follow.process().waitFor();
        }
    }

    @Test
    void eventsFollowStreamsNewEventsOfItsAppOnly() throws Exception {
        var events = new ConcurrentLinkedQueue<String>();
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(z.paths().socket()));
            Wire.send(ch, new Request.Events("web", 1, 0, true));
            var reader = Thread.ofVirtual().start(() -> {
                try {
                    for (byte[] f = Wire.readFrame(ch); f != null; f = Wire.readFrame(ch)) {
                        if (Wire.decodeResponse(f) instanceof Response.Event e) events.add(e.event().app() + " " + e.event().kind());
                    }
                } catch (Exception closed) {
                    // the test closed the channel
                }
            });
            // The one event of history has arrived: the follow's starting point is fixed.
            Await.until(ZdmHome.SHORT, () -> events.size() == 1, "the last event of web's history");
            // crashy's event must not be a flush: its stderr lines are what the logs test reads.
            var scaled = z.request(new Request.Scale("crashy", 1));
            assertFalse(scaled instanceof Response.Failed, scaled.toString());
            assertTrue(z.request(new Request.Flush("web")) instanceof Response.Done);
            Await.until(ZdmHome.SHORT, () -> events.contains("web flushed"), "the flush arrives on the follow stream: " + events);
            assertFalse(events.contains("crashy scale"), "only web's events: " + events);
            ch.close();
            reader.join();
        }
    }

    @Test
    void describeMasksSecretLookingEnvInTheDaemonUnlessAsked() {
        String shown = z.ok("describe", "web").out();
        assertFalse(shown.contains("t0ps3cret") || shown.contains("hunter2"), shown);
        assertTrue(shown.contains("API_TOKEN=********") && shown.contains("db_password=********"), shown);
        assertTrue(shown.contains("NODE_ENV=production"), shown);
        assertTrue(shown.contains("log rotate: at 4.0K, keeping 2"), shown);
        // what crosses the socket by default is masked too
        var raw = (Response.Described) z.request(new Request.Describe("web"));
        assertEquals("********", raw.app().spec().env().get("API_TOKEN"));
        String secrets = z.ok("describe", "web", "--show-secrets").out();
        assertTrue(secrets.contains("API_TOKEN=t0ps3cret") && secrets.contains("db_password=hunter2"), secrets);
    }

    @Test
    void logsFollowGoesOnAcrossAReloadAndErrFilters() throws Exception {
        var lines = new ConcurrentLinkedQueue<String>();
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(z.paths().socket()));
            Wire.send(ch, new Request.Logs("web", 0, true));
            var reader = Thread.ofVirtual().start(() -> {
                try {
                    for (byte[] f = Wire.readFrame(ch); f != null; f = Wire.readFrame(ch)) {
                        if (Wire.decodeResponse(f) instanceof Response.LogLine l) lines.add(l.line());
                    }
                } catch (Exception closed) {
                    // the test closed the channel
                }
            });
            var before = z.pids("web");
            assertTrue(z.request(new Request.Reload("web")) instanceof Response.Apps);
            var after = z.pids("web");
            Await.until(ZdmHome.SHORT, () -> after.stream().allMatch(p -> lines.stream().anyMatch(l -> l.endsWith("alive " + p))),
                    "lines of the new workers " + after + " arrive on the stream opened before the reload (old: " + before + ")");
            assertTrue(before.stream().anyMatch(p -> lines.stream().anyMatch(l -> l.endsWith("alive " + p))), "and the old ones' before");
            ch.close();
            reader.join();
        }
        // crashy's line reaches its log through the capture thread, which a busy machine can delay: poll
        Await.value(ZdmHome.SHORT, () -> z.ok("logs", "crashy", "--err", "-n", "5").out(),
                err -> err.contains("crashy[0] crashing on purpose"), "crashy's stderr line in logs --err");
        assertFalse(z.ok("logs", "web", "--err", "-n", "5").out().contains("alive"));
        String both = z.ok("logs", "crashy", "-n", "20").out();
        assertTrue(both.contains("crashy[0] crashing on purpose"), "without a filter, stderr too: " + both);
        String out = z.ok("logs", "crashy", "--out", "-n", "20").out();
        assertFalse(out.contains("crashing on purpose"), "--out leaves stderr out: " + out);
        assertTrue(z.ok("logs", "web", "--out", "-n", "5").out().contains("alive"), "and keeps stdout");
    }

    @Test
    void logsRotateBySizeAndFlushEmptiesThem() throws Exception {
        var out = z.paths().outLog("web");
        var rotated = out.resolveSibling(out.getFileName() + ".1");
        Await.until(ZdmHome.SHORT, () -> Files.exists(rotated), "web.out.log rotated at 4K");
        assertTrue(Files.size(rotated) <= 4096, "rotated file within the limit: " + Files.size(rotated));
        assertEquals(20, z.ok("logs", "web", "-n", "20").out().lines().count(), "tail reads across the rotation");

        var r = z.ok("flush", "web");
        assertTrue(r.out().contains("flushed the logs of web"), r.toString());
        assertFalse(Files.exists(rotated), "rotated files deleted");
        Await.until(ZdmHome.SHORT, () -> z.ok("logs", "web", "-n", "1").out().contains("alive"), "workers keep logging");
        assertTrue(z.ok("events", "web").out().contains("web  flushed (uid "), "flush is an event");
        assertEquals(2, z.pids("web").size(), "the workers did not notice");
    }

    @Test
    void completionNamesTheCommandsAndLsJsonHasTheSummary() throws Exception {
        String bash = z.ok("completion", "bash").out();
        for (String cmd : new String[] {"events", "flush", "describe", "logs", "reload"}) assertTrue(bash.contains(cmd), cmd);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(z.ok("ls", "--json").out());
        // web runs node with a port: listen: auto (the default) put it in socket mode; crashy has no port.
        assertEquals(List.of("socket", "fork"), List.of(json.get(0).get("mode").asText(), json.get(1).get("mode").asText()));
        assertEquals(2, json.get(0).get("ready").asInt());
        String table = z.ok("ls").out();
        assertTrue(table.lines().anyMatch(l -> l.matches("web\\s+socket\\s+" + port + "\\s+2/2 ready\\s+running.*")), table);
        assertFalse(table.contains("\033["), "NO_COLOR and a non-terminal: plain text");
    }
}
