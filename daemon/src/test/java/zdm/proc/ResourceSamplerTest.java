package zdm.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import zdm.test.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceSamplerTest {
    private final Spawned spawned = new Spawned();
    private final ResourceSampler sampler = new ResourceSampler();

    @AfterEach
    void cleanUp() {
        spawned.close();
    }

    @Test
    void residentMemoryOfALiveProcessIsPositiveAndSummedOverTheTree() throws Exception {
        WorkerProcess single = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, Map.of()));
        WorkerProcess tree = spawned.sh("sleep 1000 & sleep 1000 & wait");
        Spawned.descendants(tree.pid(), 2);
        Await.until(Duration.ofSeconds(5), () -> Spawned.descendants(tree.pid(), 2).stream()
                .allMatch(d -> ProcessHandle.of(d.pid()).flatMap(h -> h.info().command()).orElse("").endsWith("sleep")),
                "both children exec'd sleep");

        var one = sampler.sample(single.pid());
        assertTrue(one.rssBytes() > 0, "rss " + one.rssBytes());
        assertTrue(one.cpuPercent() >= 0, "cpu " + one.cpuPercent());

        long shAlone = ProcStat.residentPages(tree.pid()) * Posix.pageSize();
        long whole = sampler.sample(tree.pid()).rssBytes();
        // two sleeps of about one.rss each: ask for one of them, leaving room for sharing differences
        assertTrue(whole >= shAlone + one.rssBytes(), "tree " + whole + " vs sh " + shAlone + " + sleep " + one.rssBytes());
    }

    @Test
    void aProcessReadInTheTickItStartedInHasAKnownCpu() {
        long ticks = Posix.clockTicksPerSecond();
        double now = 1234.56;
        long startedThisTick = Math.round(now * ticks);
        assertEquals(0.0, ResourceSampler.lifetimePercent(0, startedThisTick, now), "no CPU used yet");
        assertEquals(100.0, ResourceSampler.lifetimePercent(1, startedThisTick, now), 1e-9, "one tick in one tick");
        assertEquals(50.0, ResourceSampler.lifetimePercent(ticks, startedThisTick - 2 * ticks, now), 1e-9);
    }

    @Test
    void cpuOfABusyLoopIsHighOnALaterSample() throws Exception {
        WorkerProcess busy = spawned.sh("while :; do :; done");
        sampler.sample(busy.pid());
        long start = System.nanoTime();
        Await.until(Duration.ofSeconds(10), () -> {
            if (System.nanoTime() - start < 1_000_000_000L) return false;   // let ~1 s of CPU accumulate
            return sampler.sample(busy.pid()).cpuPercent() > 20;
        }, "cpu > 20% over an interval of a busy loop");
        ProcessTree.terminate(busy.identity(), Signal.SIGKILL, Duration.ofSeconds(1));
    }

    @Test
    void aGoneProcessSamplesAsUnknown() throws Exception {
        WorkerProcess w = spawned.sh("exit 0");
        w.onExit().get(5, TimeUnit.SECONDS);
        assertEquals(new ResourceSampler.Sample(-1, -1), sampler.sample(w.pid()));
        sampler.forget(w.pid());
    }

    @Test
    void theHistoryOfProcessesThatAreGoneIsNotKept() throws Exception {
        // what a reload does: workers sampled by ls, then replaced by others, none of them forgotten by pid
        for (int round = 0; round < 5; round++) {
            WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, Map.of()));
            sampler.sample(w.pid());
            ProcessTree.terminate(w.identity(), Signal.SIGKILL, Duration.ofSeconds(5));
            w.onExit().get(5, TimeUnit.SECONDS);
        }
        WorkerProcess live = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, Map.of()));
        Await.until(Duration.ofSeconds(10), () -> {
            sampler.sample(live.pid());   // a listing after the table's maximum age reads /proc again
            return sampler.remembered() == 1;
        }, "only the live process's history is kept (kept: " + sampler.remembered() + ")");
    }
}
