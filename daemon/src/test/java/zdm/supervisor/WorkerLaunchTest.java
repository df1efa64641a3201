package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpecBuilder;
import zdm.config.Listen;
import zdm.config.Liveness;
import zdm.config.Readiness;
import zdm.net.FreePorts;
import zdm.net.ListenAddress;
import zdm.net.PublicPort;
import zdm.net.SharedSocket;
import zdm.proc.OutputCapture;
import zdm.proc.ResourceSampler;
import zdm.proc.Signal;
import zdm.protocol.Paths;
import zdm.test.Await;

/**
 * How one real worker process is started ({@link WorkerLaunch}): the environment it sees (ZDM_*, the worker index,
 * PORT, NOTIFY_SOCKET and WATCHDOG_USEC, the Node preload and what it is told), its output in the app's log and in
 * the readiness watch, and in socket mode the shared socket as its fd 3. Each worker here is a shell that prints its
 * environment and exits.
 */
class WorkerLaunchTest extends FixtureTest {
    private OutputCapture capture;
    /** The daemon's context as it runs: output captured through files (which listen: socket needs). */
    private AppRegistry ctx;

    @BeforeEach
    void captureAsTheDaemonDoes() throws IOException {
        capture = new OutputCapture(home.resolve("capture"));
        ctx = new Supervisor(new Paths(home), f.store, f.logs, capture, new ResourceSampler(), f.loop, f.host).registry();
    }

    @AfterEach
    void closeCapture() {
        capture.close();
    }
    /** Prints the environment, then what its fd 3 is ("none" if it has none). */
    private static final String SHOW = "env; printf FD3=; readlink /proc/self/fd/3 2>/dev/null || echo none";

    private static AppSpecBuilder shell(String name) {
        return SupervisorFixture.spec(name).command(List.of("sh", "-c", SHOW));
    }

    /** Starts worker {@code id} of {@code spec}, waits for its exit, and returns the environment it printed. */
    private Map<String, String> run(AppSpecBuilder spec, int id, PublicPort port) throws Exception {
        var launched = launch(spec, id, port);
        assertEquals(0, launched.process().onExit().get(30, TimeUnit.SECONDS).code());
        return printed(spec.build().name(), launched);
    }

    private WorkerLaunch.Launched launch(AppSpecBuilder spec, int id, PublicPort port) throws Exception {
        var s = spec.build();
        return f.on(() -> WorkerLaunch.start(s, id, ctx, port));
    }

    private Map<String, String> printed(String app, WorkerLaunch.Launched launched) {
        var out = home.resolve("logs").resolve(app + ".out.log");
        var text = Await.value(Duration.ofSeconds(20), () -> read(out), t -> t.contains("FD3="), "the worker's output in " + out);
        var env = new HashMap<String, String>();
        for (var logged : text.split("\n")) {
            var line = logged.substring(logged.indexOf("] ") + 2); // after "<time> app[id] "
            int eq = line.indexOf('=');
            if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (launched.notifyWatch() != null) launched.notifyWatch().close();
        return env;
    }

    private static String read(java.nio.file.Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aWorkerKnowsItsAppItsIndexAndTheAppsEnvironment() throws Exception {
        var env = run(shell("web").env(Map.of("GREETING", "hello")).callerEnv(Map.of("FROM_SHELL", "yes")), 2, null);
        assertEquals("web", env.get("ZDM_APP"));
        assertEquals("2", env.get("ZDM_WORKER_ID"));
        assertEquals("2", env.get("NODE_APP_INSTANCE"));
        assertEquals("hello", env.get("GREETING"));
        assertEquals("yes", env.get("FROM_SHELL"), "the caller's environment beneath the app's");
        assertNull(env.get("PORT"), "no port: no PORT");
        assertNull(env.get("NOTIFY_SOCKET"));
        assertNull(env.get("NODE_OPTIONS"), "no Node preload unless something needs it");
        assertEquals("none", env.get("FD3"));
    }

    @Test
    void instanceVarAndIncrementVarGiveEachWorkerItsOwnValues() throws Exception {
        var env = run(shell("web").instanceVar("INSTANCE_ID").incrementVar("SHARD").env(Map.of("SHARD", "10")), 3, null);
        assertEquals("3", env.get("INSTANCE_ID"));
        assertNull(env.get("NODE_APP_INSTANCE"), "renamed, as in pm2");
        assertEquals("13", env.get("SHARD"));
    }

    @Test
    void behindTheProxyEachWorkerGetsAFreePrivatePort() throws Exception {
        var spec = shell("web").port(FreePorts.reserve());
        var launched = launch(spec, 0, null);
        launched.process().onExit().get(30, TimeUnit.SECONDS);
        var env = printed("web", launched);
        assertTrue(launched.privatePort() > 0);
        assertEquals(Integer.toString(launched.privatePort()), env.get("PORT"));
        assertNotEquals(Integer.toString(spec.build().network().port()), env.get("PORT"), "its own port, not the public one");
        assertNull(launched.socket());
    }

    @Test
    void readyNotifyGivesTheWorkerANotifySocketAndWatchdogItsInterval() throws Exception {
        var launched = launch(shell("svc").ready(new Readiness.Notify()), 0, null);
        launched.process().onExit().get(30, TimeUnit.SECONDS);
        assertNotNull(launched.notifyWatch());
        String address = launched.notifyWatch().address();
        var env = printed("svc", launched);
        assertEquals(address, env.get("NOTIFY_SOCKET"));
        assertTrue(address.startsWith(home.resolve("notify").toString()), address);
        assertNull(env.get("WATCHDOG_USEC"), "no watchdog asked for");

        var dog = run(shell("dog").liveness(Liveness.WATCHDOG).livenessIntervalMs(2_500), 0, null);
        assertEquals("2500000", dog.get("WATCHDOG_USEC"), "systemd's unit: microseconds");
        assertNotNull(dog.get("NOTIFY_SOCKET"), "the heartbeats need a socket even without ready: notify");
    }

    @Test
    void readyMessageLoadsThePreloadAndNamesTheFileItCreates() throws Exception {
        var launched = launch(shell("web").ready(new Readiness.Message()).stopSignal(Signal.SIGINT), 0, null);
        launched.process().onExit().get(30, TimeUnit.SECONDS);
        var env = printed("web", launched);
        assertNotNull(launched.readyFile());
        assertEquals(launched.readyFile().toString(), env.get("ZDM_READY_FILE"));
        assertEquals(ctx.nodePreload(), java.nio.file.Path.of(env.get("NODE_OPTIONS").replaceAll("^--require \"(.*)\"$", "$1")));
        assertEquals("SIGINT", env.get("ZDM_STOP_SIGNAL"), "the preload drains on the app's stop signal");
        assertNull(env.get("ZDM_READY_ON"));
        assertNull(env.get("ZDM_SHUTDOWN_MESSAGE"));
    }

    @Test
    void shutdownWithMessageAloneLoadsThePreloadWithoutAReadyFile() throws Exception {
        var launched = launch(shell("web").shutdownWithMessage(true).env(Map.of("NODE_OPTIONS", "--max-old-space-size=512")), 0, null);
        launched.process().onExit().get(30, TimeUnit.SECONDS);
        var env = printed("web", launched);
        assertNull(launched.readyFile());
        assertNull(env.get("ZDM_READY_FILE"));
        assertEquals("1", env.get("ZDM_SHUTDOWN_MESSAGE"));
        var options = env.get("NODE_OPTIONS");
        assertTrue(options.startsWith("--max-old-space-size=512 --require \""), "the app's own options kept, the preload after: " + options);
        assertEquals(1, options.split("--require").length - 1, options);
    }

    @Test
    void thePreloadIsNotRequiredTwice() throws Exception {
        String preload = "--require \"" + ctx.nodePreload() + "\"";
        var env = run(shell("web").shutdownWithMessage(true).env(Map.of("NODE_OPTIONS", preload)), 0, null);
        assertEquals(preload, env.get("NODE_OPTIONS"));
    }

    @Test
    void inSocketModeTheWorkerInheritsTheSharedSocketAsFd3AndPortIsThePublicOne() throws Exception {
        int port = FreePorts.reserve();
        try (var socket = SharedSocket.open("web", port)) {
            var spec = shell("web").port(port).listen(Listen.SOCKET).ready(new Readiness.Listening());
            var launched = launch(spec, 0, socket);
            launched.process().onExit().get(30, TimeUnit.SECONDS);
            var env = printed("web", launched);
            assertEquals(Integer.toString(port), env.get("PORT"));
            assertTrue(env.get("FD3").startsWith("socket:"), env.get("FD3"));
            assertEquals(0, launched.privatePort());
            assertEquals(socket, launched.socket());
            assertEquals("listening", env.get("ZDM_READY_ON"), "ready at the worker's own listening event");
            assertNotNull(env.get("NODE_OPTIONS"));
        }
    }

    @Test
    void inSocketModeWithoutAnOpenSocketTheStartFailsNamingTheKey() {
        var spec = shell("web").port(4000).listen(Listen.SOCKET).ready(new Readiness.Uptime());
        var e = assertThrows(java.util.concurrent.CompletionException.class, () -> launch(spec, 0, null));
        assertEquals("the listening socket of web is not open (apps[web].listen)", e.getCause().getMessage());
    }

    @Test
    void aPortLearningAppIsToldWhereToReportItsListenAndLaterGetsTheSocket() throws Exception {
        var spec = shell("node").listen(Listen.SOCKET).ready(new Readiness.Uptime()); // socket mode, no port: learns it
        var first = launch(spec, 0, null);
        first.process().onExit().get(30, TimeUnit.SECONDS);
        var env = printed("node", first);
        assertNotNull(first.listenRequest());
        assertEquals(first.listenRequest().toString(), env.get("ZDM_LISTEN_REQUEST"));
        assertTrue(first.listenRequest().getFileName().toString().endsWith(".listen"));
        assertNotNull(env.get("NODE_OPTIONS"), "the preload holds the listen() back and reports it");
        assertEquals("none", env.get("FD3"), "no socket yet");
        assertNull(env.get("PORT"));
        assertNull(first.socket());

        int port = FreePorts.reserve();
        try (var socket = SharedSocket.open("node", new ListenAddress(port, "127.0.0.1"))) {
            var again = launch(shell("node2").listen(Listen.SOCKET).ready(new Readiness.Uptime()), 0, socket);
            again.process().onExit().get(30, TimeUnit.SECONDS);
            var env2 = printed("node2", again);
            assertEquals(Integer.toString(port), env2.get("ZDM_SHARED_PORT"));
            assertNull(env2.get("PORT"), "a learned port is not PORT: the app did not ask for one");
            assertTrue(env2.get("FD3").startsWith("socket:"), env2.get("FD3"));
            assertEquals(socket, again.socket());
        }
    }

    @Test
    void theReadyLineIsSeenOnEitherStreamEvenBeforeTheWatchIsArmed() throws Exception {
        var spec = SupervisorFixture.spec("web").command(List.of("sh", "-c", "echo 'Listening at: http://127.0.0.1:8000' >&2"))
                .ready(new Readiness.Log("Listening at"));
        var launched = launch(spec, 0, null);
        launched.process().onExit().get(30, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(20), () -> read(home.resolve("logs").resolve("web.err.log")).contains("Listening at"),
                "the line reached the app's error log");
        var ran = new AtomicBoolean();
        launched.lineWatch().arm(() -> ran.set(true));
        assertTrue(ran.get(), "armed after the line: the action runs at once");
        assertFalse(read(home.resolve("logs").resolve("web.out.log")).contains("Listening"), "stderr stays stderr");
    }

    @Test
    void inSocketModeThePreloadIsLoadedWhateverTheReadiness() throws Exception {
        int port = FreePorts.reserve();
        try (var socket = SharedSocket.open("web", port)) {
            var env = run(shell("web").port(port).listen(Listen.SOCKET).ready(new Readiness.Uptime()), 0, socket);
            assertNotNull(env.get("NODE_OPTIONS"), "the preload turns a listen(PORT) into the shared socket");
        }
    }

    @Test
    void aSpawnThatFailsClosesTheNotifySocketItOpenedForTheWorker() throws Exception {
        var spec = shell("svc").cwd(home.resolve("gone").toString()).ready(new Readiness.Notify());
        var e = assertThrows(java.util.concurrent.CompletionException.class, () -> launch(spec, 0, null));
        assertTrue(e.getCause().getMessage().contains("does not exist"), e.getCause().getMessage());
        try (var left = Files.list(ctx.notifyDir())) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".sock")).toList(), "no socket left behind");
        }
    }
}
