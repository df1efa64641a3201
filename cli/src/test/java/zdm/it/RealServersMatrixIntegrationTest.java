package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zdm.net.FreePorts;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.test.Await;

/**
 * Real servers from Debian (and node), run unchanged from the recipes of docs/recipes/ (the files docs/configuration.md
 * shows): each stack in each listen mode it supports, 2 workers under keep-alive load, three reloads. A cell passes
 * with 0 failed requests, every reload exit 0, and every replaced worker ending by its stop signal (killed by it, or
 * exit code 0 after it), never a crash exit nor SIGKILL after kill_timeout. The matrix is printed at the end.
 */
class RealServersMatrixIntegrationTest {
    private static final int RELOADS = 3;
    private static final Map<String, String> RESULTS = new ConcurrentSkipListMap<>();

    /** stack, mode, the program that must exist (skip otherwise). */
    static Stream<List<String>> cells() {
        return Stream.of(
                List.of("node", "proxy", "node"), List.of("node", "socket", "node"),
                List.of("gunicorn", "proxy", "gunicorn"), List.of("gunicorn", "socket", "gunicorn"),
                List.of("uvicorn", "proxy", "python3"), List.of("uvicorn", "socket", "python3"),
                List.of("go", "proxy", "go"), List.of("go", "socket", "go"),
                List.of("puma", "proxy", "puma"), List.of("puma", "socket", "puma"),
                List.of("waitress", "proxy", "waitress-serve"),
                List.of("php", "proxy", "php"));
    }

    static Path recipes() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/recipes"))) return p.resolve("docs/recipes");
        }
        throw new AssertionError("docs/recipes not found above " + Path.of("").toAbsolutePath());
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    /**
     * Cells where the server's own stop loses requests, with or without zdm: puma and uvicorn close idle keep-alive
     * connections at once on SIGTERM, racing a client's next request (the issue measured 1-4 per 6 replacements without zdm). They
     * are run and printed, every other property is asserted, the failed count is not. Behind the proxy the same server
     * drops nothing: that is the recipe's advice for keep-alive clients.
     */
    private static final Set<String> SERVER_RACES_KEEP_ALIVE = Set.of("puma socket", "uvicorn socket");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void reloadsUnderKeepAliveLoadDropNothing(List<String> cell) throws Exception {
        String stack = cell.get(0), mode = cell.get(1);
        String only = System.getProperty("zdm.matrix.only", "");
        Assumptions.assumeTrue(only.isEmpty() || List.of(only.split(",")).contains(stack + "-" + mode), "not in zdm.matrix.only");
        Assumptions.assumeTrue(onPath(cell.get(2)), cell.get(2) + " is not installed (bin/test installs it as root)");
        if (stack.equals("uvicorn")) Assumptions.assumeTrue(Installed.pythonModule("uvicorn"), "python3-uvicorn is not installed");
        if (stack.equals("puma")) {
            Assumptions.assumeTrue(Installed.rubyLibrary("sd_notify"),
                    "ruby-sd-notify is not installed");
        }
        try (var z = new ZdmHome()) {
            try (var files = Files.list(recipes().resolve(stack))) {
                for (Path f : files.toList()) Files.copy(f, z.dir.resolve(f.getFileName()));
            }
            if (stack.equals("go")) build(z.dir);
            int port = FreePorts.reserve();
            String yaml = Files.readString(z.dir.resolve(mode + ".yaml"))
                    .replace("port: 3000", "port: " + port + "\n    env: { ZDM_TEST_TAG: " + z.tag + " }");
            Files.writeString(z.dir.resolve("ecosystem.yaml"), yaml);
            z.ok("start", "ecosystem.yaml");
            long requests, failed;
            var replaced = new HashSet<Long>();
            try (var load = Load.start(port, 4, true)) {
                Await.until(ZdmHome.SHORT, () -> load.ok() > 50, "load is flowing");
                for (int i = 0; i < RELOADS; i++) {
                    var before = new HashSet<>(z.pids("web"));
                    var r = z.zdm("reload", "web");
                    assertEquals(0, r.exitCode(), "reload " + (i + 1) + ": " + r + "\n" + z.zdm("logs", "web", "-n", "30").out());
                    replaced.addAll(before);
                    long served = load.ok();
                    Await.until(ZdmHome.SHORT, () -> load.ok() > served + 20, "load flowing after reload " + (i + 1));
                }
                load.close();
                requests = load.ok() + load.failed();
                failed = load.failed();
                for (long p : replaced) Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(p), "old worker " + p + " is gone");
                var ends = ends(z, replaced);
                RESULTS.put(stack + " " + mode, "%8d %7d %8d  %s".formatted(requests, failed, RELOADS, ends));
                if (!SERVER_RACES_KEEP_ALIVE.contains(stack + " " + mode)) assertEquals(0, failed, "failed requests: " + load);
            }
            var ends = ends(z, replaced);
            assertTrue(ends.keySet().stream().allMatch(how -> how.equals("code 0") || how.equals("signal SIGTERM")),
                    "every replaced worker ended by its stop signal: " + ends);
            assertEquals(replaced.size(), ends.values().stream().mapToInt(Integer::intValue).sum(), "an end for each: " + ends);
            assertTrue(events(z).stream().noneMatch(e -> e.kind().equals("killed")), "no SIGKILL after kill_timeout: " + events(z));
        }
    }

    private static List<EventView> events(ZdmHome z) {
        return ((Response.Described) z.request(new Request.Describe("web"))).app().events();
    }

    /** How the replaced workers ended ("signal SIGTERM", "code 0", ...), counted, from their 'stopped' events. */
    private static Map<String, Integer> ends(ZdmHome z, Set<Long> replaced) {
        var out = new java.util.TreeMap<String, Integer>();
        var text = z.ok("events", "web", "-n", "500").out();
        for (String line : text.lines().toList()) {
            for (long p : replaced) {
                int at = line.indexOf("stopped: old pid " + p + " ");
                if (at >= 0) out.merge(line.substring(at + ("stopped: old pid " + p + " ").length()).trim(), 1, Integer::sum);
            }
        }
        return out;
    }

    private static void build(Path dir) throws Exception {
        var p = new ProcessBuilder("go", "build", "-o", "server", "main.go").directory(dir.toFile()).redirectErrorStream(true);
        p.environment().put("GO111MODULE", "off");
        p.environment().putIfAbsent("GOCACHE", Path.of(System.getProperty("java.io.tmpdir"), "zdm-test-gocache").toString());
        var proc = p.start();
        var out = new String(proc.getInputStream().readAllBytes());
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS) && proc.exitValue() == 0, "go build failed: " + out);
    }

    @AfterAll
    static void printMatrix() {
        var out = new ArrayList<String>();
        out.add("real-servers matrix: stack mode | requests  failed  reloads  old workers ended");
        RESULTS.forEach((cell, row) -> out.add("  %-16s %s".formatted(cell, row)));
        System.out.println(String.join("\n", out));
    }
}
