package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.protocol.AppView;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.WorkerView;
import zdm.test.Await;

/**
 * pm2's cluster habit with no port: `zdm start app.js -i 2` where every worker calls listen(process.env.PORT || 3000)
 * itself (APP_PORT stands for the 3000, on a free port). zdm's preload tells the daemon the port, the daemon binds it
 * once and every worker inherits it: both answer on the app's own port, reloads under load drop nothing, and the
 * next start (after a delete, after a daemon restart) binds the remembered port at once. Real node, real Express.
 */
@ExtendWith(ZdmHomes.class)
class NodeClusterIntegrationTest {
    ZdmHome z;
    int port;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        port = FreePorts.reserve();
        z.ok("ls"); // the daemon, started without the test's tag: only the workers carry it
        callerEnv(true);
    }

    /** `zdm start` passes the caller's environment to the app, as pm2 does: the tag and APP_PORT reach it so. */
    private void callerEnv(boolean on) {
        if (on) {
            z.env.put("ZDM_TEST_TAG", z.tag);
            z.env.put("APP_PORT", Integer.toString(port));
        } else {
            z.env.remove("ZDM_TEST_TAG");
            z.env.remove("APP_PORT");
        }
    }

    @Test
    void twoWorkersOfAPortlessNodeAppShareItsPortAndThreeReloadsUnderLoadDropNothing() throws Exception {
        z.testApp("cluster.js");
        startTwoWorkers("cluster.js");
        ReloadsUnderLoad.assertNothingDropped(z, port, false, 3, ReloadsUnderLoad.OldWorkers.GONE_SOON);
    }

    @Test
    void theSameForAnExpressApp() throws Exception {
        installExpress();
        z.testApp("express-cluster.js");
        startTwoWorkers("express-cluster.js");
        ReloadsUnderLoad.assertNothingDropped(z, port, true, 3, ReloadsUnderLoad.OldWorkers.GONE_SOON);
    }

    @Test
    void theNextStartBindsTheRememberedPortAtOnceAfterADeleteAndAfterADaemonRestart() throws Exception {
        z.testApp("cluster.js");
        startTwoWorkers("cluster.js");
        assertTrue(kinds().contains("port-learned"), kinds().toString());

        z.ok("delete", "web");
        z.ok("start", "cluster.js", "-i", "2", "--name", "web");
        var second = kindsSinceLast("registered");
        assertTrue(second.stream().noneMatch(k -> k.equals("relaunched") || k.equals("port-learned"))
                && second.stream().filter("online"::equals).count() == 2,
                "the remembered port was bound before the workers started: nothing learned, nothing relaunched: " + second);
        assertBothWorkersShareThePort();

        callerEnv(false);
        z.ok("kill");
        z.ok("ls"); // a fresh daemon restores the app
        var restored = Await.value(ZdmHome.SHORT, () -> z.app("web"), a -> a.status() == AppView.Status.RUNNING, "web restored");
        assertEquals(port, restored.port());
        assertTrue(kindsSinceLast("restored").stream().noneMatch(k -> k.equals("relaunched") || k.equals("port-learned")),
                kindsSinceLast("restored").toString());
        assertBothWorkersShareThePort();
    }

    @Test
    void aPortHeldByAnotherProgramIsReportedInOneLineNamingIt() throws Exception {
        z.testApp("cluster.js");
        try (var holder = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            var r = z.zdm("start", "cluster.js", "-i", "2", "--name", "web");
            // not-ready while it starts; listen-refused if it was online already (a slow start: ready after min_uptime)
            var why = Await.value(ZdmHome.SHORT, () -> events().stream()
                    .filter(e -> e.kind().equals("not-ready") || e.kind().equals("listen-refused")).toList(),
                    l -> !l.isEmpty(), "a refusal").getFirst().detail();
            assertTrue(why.contains("port " + port + " is already in use by java (pid " + ProcessHandle.current().pid() + ")"), why);
            assertTrue(!r.err().contains("Exception"), r.toString());
            assertTrue(z.app("web").port() == null, "no port is shown that the app does not have: " + z.app("web"));
        }
    }

    /** Starts app "web" from {@code script} with two workers and no port, and checks they share the app's own port. */
    private void startTwoWorkers(String script) throws Exception {
        var r = z.ok("start", script, "-i", "2", "--name", "web");
        assertTrue(!r.err().contains("no port"), "a Node app gets no shared-port warning: " + r);
        // On a slow machine a worker may be online (min_uptime) before its listen() is seen, and is relaunched then.
        Await.until(ZdmHome.SHORT, () -> {
            var app = z.app("web");
            return app.status() == AppView.Status.RUNNING && Integer.valueOf(port).equals(app.port())
                    && app.workers().stream().allMatch(w -> w.pid() > 0 && w.state() == WorkerView.State.ONLINE && onSocket(w.pid()));
        }, () -> "web's two workers online on port " + port + ": " + z.apps());
        assertBothWorkersShareThePort();
    }

    /** Both workers hold one socket as fd 3 and both answer on the port (concurrent connections reach each). */
    private void assertBothWorkersShareThePort() throws Exception {
        var pids = z.pids("web");
        assertEquals(2, pids.size(), z.apps().toString());
        var sockets = new HashSet<String>();
        for (long pid : pids) sockets.add(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/3")).toString());
        assertEquals(1, sockets.size(), "one socket, inherited by both: " + sockets);
        assertTrue(sockets.iterator().next().startsWith("socket:"), sockets.toString());
        Set<String> answered = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int round = 0; round < 50 && answered.size() < 2; round++) {
                for (int i = 0; i < 16; i++) {
                    pool.submit(() -> {
                        var reply = Http.get(port, "/");
                        if (reply.status() == 200) answered.add(reply.body().replaceAll("(?s).*pid (\\d+).*", "$1"));
                        return null;
                    });
                }
                pool.submit(() -> null).get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(pids.stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet()), answered,
                "both workers answered on port " + port);
    }

    private static boolean onSocket(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/3")).toString().startsWith("socket:");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private List<EventView> events() {
        return ((Response.Described) z.request(new Request.Describe("web"))).app().events();
    }

    private List<String> kinds() {
        return events().stream().map(EventView::kind).toList();
    }

    /** The kinds of the events from the last one of {@code kind} on. */
    private List<String> kindsSinceLast(String kind) {
        var all = kinds();
        return all.subList(all.lastIndexOf(kind), all.size());
    }

    /** Express from npm, installed once into ~/.cache/zdm-test/express and linked into the test dir. */
    private void installExpress() throws Exception {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "zdm-test", "express");
        if (!Files.isDirectory(cache.resolve("node_modules/express"))) {
            Path tmp = Files.createDirectories(cache.getParent()).resolve("express-" + ProcessHandle.current().pid());
            Files.createDirectories(tmp);
            var npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", tmp.toString(), "express@5")
                    .redirectErrorStream(true).start();
            var out = new String(npm.getInputStream().readAllBytes());
            Assumptions.assumeTrue(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0
                    && Files.isDirectory(tmp.resolve("node_modules/express")), "npm could not install express: " + out);
            try {
                Files.move(tmp, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another test installed it meanwhile: theirs is as good
            }
        }
        Files.createSymbolicLink(z.dir.resolve("node_modules"), cache.resolve("node_modules"));
    }
}
