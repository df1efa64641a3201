package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.test.Await;

/**
 * A reload leaves nothing behind in the daemon (issue 16, flat memory): after the first reloads of all
 * apps, further reloads do not add live objects of zdm's classes (nor futures, timers or threads).
 * Live objects are counted by the JDK's class histogram ({@code jcmd PID GC.class_histogram}, which
 * collects garbage first): counts, not times or sizes. Each reload replaces every worker, so a leak of
 * one object per replaced worker grows a count by 20 per reload, 140 over the measured seven.
 */
class RetainedObjectsIntegrationTest {
    private static final int APPS = 10;
    /** Objects that may be in flight when a histogram is taken (a queued store write, a timer). */
    private static final int SLACK = 10;
    private static final List<String> JDK_CLASSES = List.of("java.util.concurrent.CompletableFuture",
            "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask", "java.lang.VirtualThread",
            "java.lang.Thread");

    ZdmHome z;

    @BeforeEach
    void setUp() throws Exception {
        z = new ZdmHome();
    }

    @AfterEach
    void tearDown() {
        z.close();
    }

    @Test
    void reloadsOfAllAppsRetainNoMoreObjectsThanTheFirstOnes() throws Exception {
        z.ecosystemOfSleepers("r", APPS, 2, "ready: {delay: 50ms}");
        z.ok("start", "ecosystem.yaml");
        long daemon = z.daemonPid().orElseThrow();
        for (int i = 0; i < 3; i++) reloadAll();
        Map<String, Long> before = histogram(daemon);
        for (int i = 0; i < 7; i++) reloadAll();
        // The last reload returns once its new workers serve; its old ones may still be draining and
        // their exits not yet handled (on a busy machine, 14 of 20 were). Their objects go with them, so
        // the histogram is taken again until nothing grew or the deadline passes: a leak stays grown.
        Map<String, Long> after = histogram(daemon);
        List<String> grown = grownSince(before, after);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!grown.isEmpty() && System.nanoTime() < deadline) {
            Await.within(Duration.ofSeconds(2), () -> z.taggedProcesses().size() == 2 * APPS);
            after = histogram(daemon);
            grown = grownSince(before, after);
        }
        System.out.println("live zdm objects after 3 and 10 reloads of " + 2 * APPS + " workers: "
                + total(before) + " -> " + total(after));
        assertTrue(grown.isEmpty(), "live objects that grew over 7 more reloads: " + grown);
        assertEquals(2 * APPS, z.taggedProcesses().size(), "every worker replaced, none left behind");
    }

    private static List<String> grownSince(Map<String, Long> before, Map<String, Long> after) {
        var grown = new ArrayList<String>();
        for (var e : after.entrySet()) {
            long was = before.getOrDefault(e.getKey(), 0L);
            if (e.getValue() > was + SLACK) grown.add(e.getKey() + " " + was + " -> " + e.getValue());
        }
        return grown;
    }

    private void reloadAll() {
        z.ok("reload", "all");
    }

    private static long total(Map<String, Long> h) {
        return h.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One per process of the whole machine, as the last /proc pass (or two: the sampler's table and the
     * shared scan's result) found it: their count follows how many processes the machine had at that
     * pass (99 and 198 in one final suite), not the reloads. A leak of them would show in the other
     * classes that hold them (the sampler's table is replaced at each pass).
     */
    private static final java.util.Set<String> SNAPSHOTS_OF_THE_MACHINE = java.util.Set.of("zdm.proc.ProcStat");

    /** Live instances per class of zdm and of {@link #JDK_CLASSES}, after a full collection. */
    private static Map<String, Long> histogram(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        var p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "jcmd failed: " + out);
        var counts = new TreeMap<String, Long>();
        for (String line : out.split("\n")) {
            // "   1:         25198        1791904  java.lang.String (java.base@25)"
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":")) continue;
            String name = f[3];
            if (SNAPSHOTS_OF_THE_MACHINE.contains(name)) continue;
            if (name.startsWith("zdm.") || JDK_CLASSES.contains(name)) counts.merge(name, Long.parseLong(f[1]), Long::sum);
        }
        assertTrue(counts.keySet().stream().anyMatch(n -> n.startsWith("zdm.")), "no zdm class in the histogram: " + out);
        return counts;
    }
}
