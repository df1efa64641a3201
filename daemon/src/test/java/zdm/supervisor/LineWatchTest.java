package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ready: {log: ...}} must count the worker's line however early it comes: a fast worker prints
 * it before the daemon has finished recording the spawn and armed the check (that line used to be
 * dropped, and the worker then failed listen_timeout), and only the first match counts.
 */
class LineWatchTest {
    private final AtomicInteger readies = new AtomicInteger();

    @Test
    void aLinePrintedBeforeArmingCountsWhenArmed() {
        var watch = new ReadinessCheck.LineWatch(Pattern.compile("listening on"));
        watch.line("starting");
        watch.line("listening on 3000");
        assertEquals(0, readies.get());
        watch.arm(readies::incrementAndGet);
        assertEquals(1, readies.get());
        watch.line("listening on 3000");
        assertEquals(1, readies.get());
    }

    @Test
    void aLineAfterArmingCountsOnce() {
        var watch = new ReadinessCheck.LineWatch(Pattern.compile("ready"));
        watch.arm(readies::incrementAndGet);
        watch.line("not yet");
        assertEquals(0, readies.get());
        watch.line("ready");
        watch.line("ready again");
        assertEquals(1, readies.get());
    }

    @Test
    void nothingCountsAfterDisarmingOrWithoutAPattern() {
        var watch = new ReadinessCheck.LineWatch(Pattern.compile("ready"));
        watch.arm(readies::incrementAndGet);
        watch.disarm(); // listen_timeout passed: the worker was declared not ready
        watch.line("ready");
        var none = new ReadinessCheck.LineWatch(null);
        none.line("ready");
        none.arm(readies::incrementAndGet);
        assertEquals(0, readies.get());
    }
}
