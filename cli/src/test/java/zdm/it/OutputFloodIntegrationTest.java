package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.proc.Posix;
import zdm.proc.Signal;
import zdm.test.Await;

/**
 * Apps whose output misbehaves, against a real daemon: one that writes as fast as it can (coreutils'
 * {@code yes}) next to one that logs its clock, and output written while no daemon ran.
 */
@ExtendWith(ZdmHomes.class)
class OutputFloodIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    @Test
    void aFloodingAppDelaysNoNeighbourFillsNoDiskAndStopsInTime() throws Exception {
        z.ecosystem("""
                apps:
                  - name: flood
                    command: [sh, -c, "exec yes 'a line of a worker that writes as fast as it can, padded to a realistic length'"]
                    kill_timeout: 1s
                    min_uptime: 100ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                  - name: clock
                    command: [sh, -c, "while :; do echo \\"$(date +%s%N)\\"; sleep 0.1; done"]
                    min_uptime: 100ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");
        Path clockLog = z.paths().logs().resolve("clock.out.log");
        Path capture = z.paths().logs().resolve("capture");
        long floodStarted = System.nanoTime();
        long floodStartedMs = System.currentTimeMillis();
        var delays = new ArrayList<Long>();
        long maxCapture = 0;
        var samples = new ArrayList<Long>();
        // Per second after the warm-up, the least the capture files held: the reader skips and punches out what it is
        // behind, but a worker that keeps a CPU while the daemon's reader waits for one writes more meanwhile (the
        // suite beside a benchmark saw 261 MiB in one sample, at load 15), so a single sample says little. A reader that
        // never catches up (no hole punched, no skip) leaves every second's least above the bound.
        var leastPerSecond = new ArrayList<Long>();
        long least = Long.MAX_VALUE;
        while (System.nanoTime() - floodStarted < 10_000_000_000L) { // ten seconds of flood
            long a = allocated(capture);
            samples.add(a >> 20);
            if (System.nanoTime() - floodStarted > 3_000_000_000L) { // after the warm-up
                maxCapture = Math.max(maxCapture, a);
                least = Math.min(least, a);
                if (samples.size() % 5 == 0) {
                    leastPerSecond.add(least);
                    least = Long.MAX_VALUE;
                }
            }
            Thread.sleep(200); // the sampling period, not a wait for something to happen
        }
        for (var line : Files.readAllLines(clockLog)) {
            // 2026-12-06T22:00:00.123Z clock[0] 1796594400123456789: the daemon's stamp, then when it was written
            var parts = line.split(" ");
            if (parts.length != 3 || !parts[2].matches("\\d{19}")) continue;
            long readMs = Instant.parse(parts[0]).toEpochMilli();
            long writtenMs = Long.parseLong(parts[2]) / 1_000_000;
            // the first seconds are the daemon's own warm-up (its C2-only JIT) on a machine the flood keeps busy
            if (writtenMs >= floodStartedMs + 3000) delays.add(readMs - writtenMs);
        }
        assertTrue(delays.size() > 10, "the neighbour's lines arrived during the flood: " + delays.size());
        var sorted = new ArrayList<>(delays);
        Collections.sort(sorted);
        long median = sorted.get(sorted.size() / 2);
        long max = sorted.getLast();
        System.out.printf("neighbour's line delay during a flood: median %d ms, max %d ms (%d lines); capture files at most %d MiB after the first 3 s%n",
                median, max, sorted.size(), maxCapture >> 20);
        System.out.println("delays in order: " + delays + "; capture samples (MiB): " + samples);
        assertTrue(median < 1000, "median delay " + median + " ms: " + sorted);
        assertTrue(max < 3000, "max delay " + max + " ms: " + sorted);
        assertTrue(leastPerSecond.size() >= 3, "seconds sampled: " + leastPerSecond);
        assertTrue(leastPerSecond.stream().allMatch(a -> a < 128L << 20),
                "capture files come back under 128 MiB every second: least per second " + leastPerSecond + ", samples (MiB) " + samples);

        z.ok("stop", "flood");
        // The daemon's side, from its events: the stop request to the worker's exit (the CLI's own start aside).
        long requested = eventTime("flood  stop (uid"), stopped = eventTime("flood[0]  stopped: ");
        long stopMs = stopped - requested;
        System.out.printf("zdm stop of the flooding app: %d ms from request to exit (kill_timeout 1 s)%n", stopMs);
        assertTrue(stopMs < 4000, "stop took " + stopMs + " ms");
        assertEquals(List.of(), z.pids("flood"));
    }

    @Test
    void outputWrittenWhileNoDaemonRanIsRecoveredWithTheAppsOwnLogLimits() throws Exception {
        Path go = z.dir.resolve("go"); // the worker writes only while this exists: while no daemon runs
        z.ecosystem("""
                apps:
                  - name: chatty
                    command: [sh, -c, "i=0; while :; do if [ -e ${GO} ]; then i=$((i+1)); echo \\"line $i of a chatty worker, long enough to fill a small log file quickly\\"; fi; sleep 0.005; done"]
                    log_max_size: 4K
                    log_max_files: 1
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.replace("${GO}", go.toString()));
        z.ok("start", "ecosystem.yaml");
        long daemon = z.daemonPid().orElseThrow();
        Posix.kill(daemon, Signal.SIGKILL);
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(daemon), "the daemon is dead");
        Path capture = z.paths().logs().resolve("capture");
        Files.createFile(go);
        Await.until(ZdmHome.SHORT, () -> sizeOfOut(capture) > 40_000, "the worker wrote 40 kB with no daemon");
        Files.delete(go);
        z.ok("ping"); // the next daemon stops the leftover and recovers its output
        Await.until(ZdmHome.SHORT, () -> z.app("chatty").onlineCount() == 1, "chatty back");
        Path log = z.paths().logs().resolve("chatty.out.log");
        assertTrue(Files.size(log) <= 4096, "the app's log_max_size holds for recovered output: " + Files.size(log));
        assertTrue(Files.size(Path.of(log + ".1")) <= 4096, "and for its rotated file");
        assertTrue(!Files.exists(Path.of(log + ".2")), "log_max_files: 1 keeps one rotated file");
        assertTrue(Files.readString(log).contains("of a chatty worker"), "the recovered lines are there");
    }

    /** When the last event whose line contains {@code what} happened (events print local time to the ms). */
    private long eventTime(String what) {
        var line = z.ok("events", "flood").out().lines().filter(l -> l.contains(what)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no event '" + what + "'"));
        var t = java.time.LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T'));
        return t.atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private static long sizeOfOut(Path capture) {
        try (var files = Files.list(capture)) {
            return files.filter(f -> f.toString().endsWith(".out")).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Bytes of disk the capture files hold (not their apparent size: consumed output is punched out). */
    private static long allocated(Path capture) throws Exception {
        var p = new ProcessBuilder("du", "-s", "-B1", capture.toString()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out.isEmpty() ? 0 : Long.parseLong(out.split("\\s+")[0]);
    }
}
