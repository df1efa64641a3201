package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervision loop on its own: a task that fails does not end the loop, a request waiting on a condition is
 * answered after the task that makes it true (or false at its timeout, or with the condition's own failure), and
 * a closed loop takes no more tasks or timers. Real threads; every wait is bounded.
 */
class SupervisionLoopTest {
    private final SupervisionLoop loop = new SupervisionLoop();

    @AfterEach
    void close() {
        loop.close();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aTaskThatThrowsOrErrsLeavesTheLoopRunning() throws Exception {
        loop.post(() -> { throw new IllegalStateException("a bug in one app's task"); });
        loop.post(() -> { throw new AssertionError("an Error, too"); });
        assertEquals("still here", get(loop.call(() -> "still here")));
    }

    @Test
    void callHandsBackTheTasksFailure() {
        var e = assertThrows(ExecutionException.class, () -> get(loop.<String>call(() -> { throw new java.io.IOException("no"); })));
        assertEquals("no", e.getCause().getMessage());
        e = assertThrows(ExecutionException.class, () -> get(loop.<String>call(() -> { throw new AssertionError("err"); })));
        assertEquals("err", e.getCause().getMessage());
    }

    @Test
    void onlyTheLoopsThreadIsOnTheLoop() throws Exception {
        assertFalse(loop.onLoop());
        assertThrows(IllegalStateException.class, loop::assertOnLoop);
        assertTrue(get(loop.call(loop::onLoop)));
        get(loop.call(() -> { loop.assertOnLoop(); return null; }));
    }

    @Test
    void awaitOffTheLoopIsRefused() {
        assertThrows(IllegalStateException.class, () -> loop.await(() -> true, Duration.ofSeconds(1)));
    }

    @Test
    void aConditionThatHoldsAlreadyIsMetAtOnce() throws Exception {
        var met = get(loop.call(() -> {
            var f = loop.await(() -> true, Duration.ofMinutes(5));
            assertTrue(f.isDone(), "answered before await returns, not after the next task");
            return f;
        }));
        assertTrue(met.join());
    }

    @Test
    void aConditionIsCheckedAfterEachTaskAndMetByTheOneThatMakesItTrue() throws Exception {
        var flag = new AtomicBoolean();
        var checks = new AtomicInteger();
        var met = get(loop.call(() -> loop.await(() -> { checks.incrementAndGet(); return flag.get(); }, Duration.ofMinutes(5))));
        get(loop.call(() -> "another task"));
        assertFalse(met.isDone(), "not met while false");
        int before = checks.get();
        loop.post(() -> flag.set(true));
        assertTrue(get(met));
        assertTrue(checks.get() > before, "checked again after the task");
        flag.set(false);
        get(loop.call(() -> "later"));
        assertTrue(met.join(), "a met condition stays met");
    }

    @Test
    void aConditionThatIsNeverMetIsFalseAtItsTimeout() throws Exception {
        var met = get(loop.call(() -> loop.await(() -> false, Duration.ofMillis(50))));
        assertFalse(get(met));
    }

    @Test
    void aConditionAnsweredByItsTimeoutIsNotCheckedAgain() throws Exception {
        var checks = new AtomicInteger();
        var met = get(loop.call(() -> loop.await(() -> { checks.incrementAndGet(); return false; }, Duration.ofMillis(50))));
        assertFalse(get(met));
        get(loop.call(() -> "a task after the timeout drops it"));
        int after = checks.get();
        get(loop.call(() -> "and another"));
        assertEquals(after, checks.get(), "the answered condition was dropped");
    }

    @Test
    void aConditionThatThrowsFailsItsRequestAndIsDropped() throws Exception {
        var checks = new AtomicInteger();
        var broken = new IllegalStateException("the condition's bug");
        var armed = new AtomicBoolean();
        var met = get(loop.call(() -> loop.await(() -> {
            checks.incrementAndGet();
            if (armed.get()) throw broken;
            return false;
        }, Duration.ofMinutes(5))));
        armed.set(true);
        get(loop.call(() -> "a task"));
        var e = assertThrows(ExecutionException.class, () -> get(met));
        assertSame(broken, e.getCause());
        int after = checks.get();
        get(loop.call(() -> "another"));
        assertEquals(after, checks.get(), "a failed condition is not checked again");
    }

    @Test
    void aTimerRunsItsTaskOnTheLoopAndANegativeDelayIsNow() throws Exception {
        var ran = new CompletableFuture<Boolean>();
        loop.schedule(Duration.ofMillis(-5_000), () -> ran.complete(loop.onLoop()));
        assertTrue(get(ran));
    }

    @Test
    void aClosedLoopTakesNoMoreTasksOrTimers() throws Exception {
        var ranBefore = new CompletableFuture<Boolean>();
        loop.post(() -> ranBefore.complete(true));
        assertTrue(get(ranBefore));
        loop.close();
        var late = new AtomicBoolean();
        loop.post(() -> late.set(true));
        loop.schedule(Duration.ZERO, () -> late.set(true)); // no RejectedExecutionException from the stopped timers
        var answer = loop.call(() -> "never");
        assertTrue(loop.mailboxEmpty(), "nothing is queued on a closed loop");
        assertFalse(answer.isDone());
        assertFalse(late.get());
    }
}
