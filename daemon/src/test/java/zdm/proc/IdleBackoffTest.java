package zdm.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import zdm.test.Await;

/** The polling checks of an idle daemon wait longer each quiet round, and worker activity brings them back at once. */
class IdleBackoffTest {
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @Test
    void aQuietRoundDoublesTheWaitUpToTheMaximumAndWorkBringsItBack() {
        var b = new IdleBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(1), b.currentWait(), "the short wait first");
        b.after(false);
        assertEquals(Duration.ofSeconds(2), b.currentWait());
        b.after(false);
        assertEquals(Duration.ofSeconds(4), b.currentWait());
        b.after(false);
        assertEquals(Duration.ofSeconds(5), b.currentWait(), "never past the maximum");
        b.after(true);
        assertEquals(Duration.ofSeconds(1), b.currentWait(), "a round that found work: the short wait again");
        b.after(false);
        b.hurry();
        assertEquals(Duration.ofSeconds(1), b.currentWait(), "activity: the short wait again");
    }

    /** A check that has backed off to hours between rounds: without activity, no round comes during a test. */
    private static IdleBackoff longIdle() {
        var b = new IdleBackoff(Duration.ofMillis(100), Duration.ofHours(4));
        for (int i = 0; i < 40; i++) b.after(false);
        assertEquals(Duration.ofHours(4), b.currentWait());
        return b;
    }

    @Test
    void activityEndsALongWaitEarly() throws InterruptedException {
        var rounds = new AtomicInteger();
        Thread t = longIdle().run("test-backoff", () -> {
            rounds.incrementAndGet();
            return false;
        });
        try {
            Await.until(GENEROUS, () -> {
                IdleBackoff.activity(); // a worker started, as ChildReaper.spawnEnds says
                return rounds.get() >= 1;
            }, "a round soon after activity, not hours later");
        } finally {
            t.interrupt();
            t.join(GENEROUS.toMillis());
        }
        assertTrue(!t.isAlive(), "an interrupt ends the check");
    }

    @Test
    void spawnsAndReapsCountAsActivity() throws InterruptedException {
        var rounds = new AtomicInteger();
        var backoff = longIdle();
        Thread t = backoff.run("test-backoff-spawn", () -> {
            rounds.incrementAndGet();
            return false;
        });
        try {
            Await.until(GENEROUS, () -> {
                ChildReaper.spawnBegins();
                ChildReaper.spawnEnds(-1); // a failed spawn: no pid registered, but a spawn all the same
                return rounds.get() >= 1;
            }, "a spawn brings the next round forward");
            Await.until(GENEROUS, () -> backoff.currentWait().compareTo(Duration.ofSeconds(1)) > 0, "backing off again");
            for (int i = 0; i < 40; i++) backoff.after(false); // hours again
            int later = rounds.get();
            Await.until(GENEROUS, () -> {
                ChildReaper.reaped(Long.MAX_VALUE); // no such child: only the activity matters
                return rounds.get() > later;
            }, "a reaped worker brings the next round forward");
        } finally {
            t.interrupt();
            t.join(GENEROUS.toMillis());
        }
    }
}
