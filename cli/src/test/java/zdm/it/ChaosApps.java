package zdm.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The apps of {@link ChaosIntegrationTest}, and where their processes are: every process of theirs, descendants
 * included, carries {@code CHAOS_APP=<name>} and the test's tag in its environment, which /proc shows.
 */
final class ChaosApps {
    static final List<String> NAMES = List.of("web", "crasher", "flood", "sleeper", "missing");

    private ChaosApps() {}

    /**
     * web: the app under load. crasher: exits 3 after 1.5 s, for ever (each run outlives min_uptime, so it is
     * restarted, never errored). flood: bursts of about 1 MB of lines. sleeper: a worker with a setsid'd child,
     * which must not outlive it. missing: a program that does not exist (every spawn fails).
     */
    static String ecosystem(int port) {
        return """
                apps:
                  - name: web
                    script: http.js
                    instances: 2
                    port: %d
                    env: { ZDM_TEST_TAG: ${TAG}, CHAOS_APP: web }
                  - name: crasher
                    command: [sh, -c, "sleep 1.5; echo crashing >&2; exit 3"]
                    min_uptime: 1s
                    restart_delay: 100ms
                    env: { ZDM_TEST_TAG: ${TAG}, CHAOS_APP: crasher }
                  - name: flood
                    command: [sh, -c, "while :; do yes 'a line of a flooding worker, again and again' | head -n 20000; sleep 0.2; done"]
                    env: { ZDM_TEST_TAG: ${TAG}, CHAOS_APP: flood }
                  - name: sleeper
                    command: [sh, -c, "setsid sleep 1000 & exec sleep 1000"]
                    instances: 2
                    kill_timeout: 2s
                    env: { ZDM_TEST_TAG: ${TAG}, CHAOS_APP: sleeper }
                  - name: missing
                    command: [zdm-chaos-no-such-binary]
                    max_restarts: 3
                    restart_delay: 100ms
                    env: { ZDM_TEST_TAG: ${TAG}, CHAOS_APP: missing }
                """.formatted(port);
    }

    /** Live (not zombie) processes carrying {@code tag}, per app. */
    static Map<String, List<Long>> marked(String tag) {
        var byApp = new TreeMap<String, List<Long>>();
        scan(tag).forEach((pid, p) -> byApp.computeIfAbsent(p.app, a -> new ArrayList<>()).add(pid));
        return byApp;
    }

    /** Like {@link #marked}, only the processes whose parent is not a process of the same app: the workers. */
    static Map<String, List<Long>> roots(String tag) {
        var all = scan(tag);
        var byApp = new TreeMap<String, List<Long>>();
        all.forEach((pid, p) -> {
            var parent = all.get(p.ppid);
            if (parent == null || !parent.app.equals(p.app)) byApp.computeIfAbsent(p.app, a -> new ArrayList<>()).add(pid);
        });
        return byApp;
    }

    private record Proc(String app, long ppid) {}

    private static Map<Long, Proc> scan(String tag) {
        var found = new HashMap<Long, Proc>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (var p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (after[0].equals("Z")) continue;
                    String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
                    if (!env.contains("ZDM_TEST_TAG=" + tag + "\0")) continue;
                    for (String entry : env.split("\0")) {
                        if (entry.startsWith("CHAOS_APP=")) {
                            found.put(Long.parseLong(name), new Proc(entry.substring(10), Long.parseLong(after[1])));
                        }
                    }
                } catch (IOException | RuntimeException ignored) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }
}
