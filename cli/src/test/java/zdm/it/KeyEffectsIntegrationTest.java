package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.test.Await;

/**
 * Documented keys and options whose effect no other test showed (see tested-keys.txt): each is set
 * and its effect looked for on the running workers. One daemon for the class; each test its own app.
 */
@ExtendWith(ZdmHomes.class)
class KeyEffectsIntegrationTest {
    static ZdmHome z;

    @BeforeAll
    static void setUp(ZdmHome home) throws Exception {
        z = home;
        z.testApp("http.js");
    }

    private static List<String> environ(long pid) throws Exception {
        return List.of(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8).split("\0"));
    }

    private static List<String> cmdline(long pid) throws Exception {
        return List.of(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).split("\0"));
    }

    /** zdm start <script> with --name, -i, --port, --interpreter and -e: what each sets is what runs. */
    @Test
    void startAScriptWithItsOptions() throws Exception {
        int port = FreePorts.reserve();
        z.ok("start", "http.js", "--name", "api", "-i", "2", "--port", Integer.toString(port), "--interpreter", "node",
                "-e", "GREETING=hi there", "-e", "ZDM_TEST_TAG=" + z.tag);
        var pids = z.pids("api");
        assertEquals(2, pids.size(), "-i 2: " + z.apps());
        for (long pid : pids) {
            assertTrue(environ(pid).contains("GREETING=hi there"), "-e reaches the worker: " + environ(pid));
            assertTrue(cmdline(pid).getFirst().endsWith("node"), "--interpreter node: " + cmdline(pid));
            assertEquals(z.dir.resolve("http.js").toString(), cmdline(pid).get(1));
        }
        var reply = Http.get(port, "/");
        assertEquals(200, reply.status());
        assertTrue(pids.stream().anyMatch(p -> reply.body().contains("pid " + p)), "--port is served by api's workers: " + reply);
    }

    /** --listen socket: the worker itself holds the port's socket (fd 3), no proxy hop. */
    @Test
    void startAScriptWithListenSocket() throws Exception {
        int port = FreePorts.reserve();
        z.ok("start", "http.js", "--name", "sock", "--port", Integer.toString(port), "--listen", "socket",
                "-e", "ZDM_TEST_TAG=" + z.tag);
        long pid = z.pids("sock").getFirst();
        assertTrue(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/3")).toString().startsWith("socket:"));
        assertTrue(Http.get(port, "/").body().contains("pid " + pid));
    }

    /**
     * --listen auto: a Node app shares the socket (fd 3) and is ready at its listening event, not after
     * a blind second: this one listens 2.5 s after it starts.
     */
    @Test
    void startANodeScriptWithListenAutoSharesTheSocketAndIsReadyWhenItListens() throws Exception {
        z.file("late.js", """
                const http = require('http');
                setTimeout(() => http.createServer((q, s) => s.end('pid ' + process.pid + '\\n'))
                    .listen(Number(process.env.PORT)), 2500);
                """);
        int port = FreePorts.reserve();
        z.ok("start", "late.js", "--port", Integer.toString(port), "--listen", "auto", "-e", "ZDM_TEST_TAG=" + z.tag);
        long pid = z.pids("late").getFirst();
        assertTrue(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/3")).toString().startsWith("socket:"));
        String online = z.ok("events", "late").out().lines().filter(l -> l.contains("online: pid " + pid)).findFirst().orElseThrow();
        long readyMs = Long.parseLong(online.replaceAll(".* ready after (\\d+) ms.*", "$1"));
        assertTrue(readyMs >= 2500, "ready when it listened, not after a fixed second: " + online);
        assertTrue(Http.get(port, "/").body().contains("pid " + pid));
    }

    /**
     * zdm start <app> -e production: the app's file read again with its env_production block, applied
     * to that app only (reloaded: a new process with the block's value); the file's other app is untouched.
     */
    @Test
    void startAnAppWithEnvAppliesItsFilesBlockToThatAppOnly() throws Exception {
        String app = """
                  - name: %s
                    command: sleep 1000
                    min_uptime: 200ms
                    env: { MODE: dev, ZDM_TEST_TAG: %s }
                    env_production: { MODE: prod }
                """;
        z.file("modes.yaml", "apps:\n" + app.formatted("moda", z.tag) + app.formatted("modb", z.tag));
        z.ok("start", "modes.yaml");
        long a = z.pids("moda").getFirst();
        long b = z.pids("modb").getFirst();
        assertTrue(environ(a).contains("MODE=dev"), environ(a).toString());
        var r = z.ok("start", "moda", "-e", "production");
        long a2 = z.pids("moda").getFirst();
        assertTrue(a2 != a && environ(a2).contains("MODE=prod"), "moda runs with its env_production: " + r);
        assertEquals(List.of(b), z.pids("modb"), "modb is left as it was");
        assertTrue(environ(b).contains("MODE=dev"));

        z.file("loop.sh", "exec sleep 1000\n");
        z.ok("start", "loop.sh", "-e", "ZDM_TEST_TAG=" + z.tag);
        var refused = z.zdm("start", "loop", "-e", "production");
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("loop was not started from an ecosystem file"), refused.toString());
    }

    /**
     * pm2's instance_var and increment_var: each worker's index under the name asked for (and no NODE_APP_INSTANCE), and
     * a variable counted up from its env value, for the workers of a start and for one added by a scale.
     */
    @Test
    void instanceVarAndIncrementVarGiveEachWorkerItsOwnValues() throws Exception {
        z.file("vars.yaml", """
                apps:
                  - name: vars
                    command: sleep 1000
                    instances: 2
                    min_uptime: 200ms
                    instance_var: INSTANCE_ID
                    increment_var: METRICS_PORT
                    env: { METRICS_PORT: 9100, ZDM_TEST_TAG: %s }
                """.formatted(z.tag));
        z.ok("start", "vars.yaml");
        z.ok("scale", "vars", "3");
        var seen = new java.util.TreeMap<String, String>();
        for (long pid : z.pids("vars")) {
            var env = environ(pid);
            String id = env.stream().filter(v -> v.startsWith("ZDM_WORKER_ID=")).findFirst().orElseThrow().substring(14);
            assertFalse(env.stream().anyMatch(v -> v.startsWith("NODE_APP_INSTANCE=")), "renamed, not added: " + env);
            seen.put(id, env.stream().filter(v -> v.startsWith("INSTANCE_ID=") || v.startsWith("METRICS_PORT="))
                    .sorted().toList().toString());
        }
        assertEquals(java.util.Map.of("0", "[INSTANCE_ID=0, METRICS_PORT=9100]", "1", "[INSTANCE_ID=1, METRICS_PORT=9101]",
                "2", "[INSTANCE_ID=2, METRICS_PORT=9102]"), seen);
    }

    /** autorestart: false: a worker that exits is not started again (with the default it would be, after 100 ms). */
    @Test
    void autorestartFalseLeavesAnExitedWorkerDown() throws Exception {
        z.file("once.yaml", """
                apps:
                  - name: once
                    command: sh -c 'sleep 1; exit 3'
                    min_uptime: 200ms
                    autorestart: false
                    env: { ZDM_TEST_TAG: %s }
                """.formatted(z.tag));
        z.ok("start", "once.yaml");
        Await.until(ZdmHome.SHORT, () -> z.ok("events", "once").out().contains("once[0]  exited: code 3"), "the worker exits");
        Await.holdsFor(Duration.ofSeconds(2), () -> z.pids("once").isEmpty(), "no new process for once");
        assertFalse(z.ok("events", "once").out().contains("restarted"), z.ok("events", "once").out());
    }
}
