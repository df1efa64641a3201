package zdm.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NodeEval's bound, given as 2 s rather than its 10 so that each case (and each mutant of it under PIT) costs
 * seconds: what runs is a shell script in node's place on the caller's PATH, which starts in milliseconds and starts
 * real processes that outlive it. NodeEvalBoundsTest checks the real bound with real node through the loader.
 */
class NodeEvalTimeoutTest {
    private static final int BOUND_SECONDS = 2;
    /** Far past the bound: only a bound that does not hold reaches it. */
    private static final Duration HUNG = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void endWhatTheScriptsStarted() {
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** A config file evaluated by {@code script} in node's place (the caller's PATH finds it first). */
    private NodeEval.Failure failure(String script) throws Exception {
        var bin = Files.createDirectories(dir.resolve("bin"));
        var node = Files.writeString(bin.resolve("node"), "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwx------"));
        var file = Files.writeString(dir.resolve("ecosystem.config.js"), "module.exports = {};\n");
        var env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        long t0 = System.nanoTime();
        var failure = assertThrows(NodeEval.Failure.class,
                () -> assertTimeoutPreemptively(HUNG, () -> NodeEval.json(file, env, BOUND_SECONDS)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= BOUND_SECONDS * 1000L - 50, "the bound is waited for: " + ms + " ms");
        assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
        return failure;
    }

    private long pid(String name) throws Exception {
        long pid = Long.parseLong(Files.readString(dir.resolve(name)).trim());
        started.add(pid);
        return pid;
    }

    private static void assertEnded(long pid, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), what + " " + pid + " was killed");
    }

    /** node still running at the bound is killed, and a child it started with it (its own kill would not reach it). */
    @Test
    void nodeThatRunsPastTheBoundIsKilledWithItsChild() throws Exception {
        var failure = failure("""
                echo $$ > node.pid
                sleep 300 &
                echo $! > child.pid
                wait
                """);
        assertEquals("node did not finish loading it within 2 s (a timer, a server or another open handle at its top"
                + " level keeps node running); it was killed", failure.getMessage());
        assertEnded(pid("node.pid"), "node");
        assertEnded(pid("child.pid"), "its child");
    }

    /**
     * node that exited, while a child it started holds its output, ends the load at the bound; the child is killed.
     * The script lives a moment after its output, as node does: the JDK closes the pipe of a process that exited
     * before anything read it, and the load would then end at once, without the child's output.
     */
    @Test
    void aChildThatHoldsTheOutputAfterNodeExitedIsKilledAtTheBound() throws Exception {
        var failure = failure("""
                setsid sleep 300 &
                echo $! > child.pid
                echo '{"apps": []}'
                sleep 0.5
                """);
        assertEquals("node exited, but a process it started still held its output 2 s later (a detached child?); it"
                + " was killed", failure.getMessage());
        assertEnded(pid("child.pid"), "the child");
    }

    /** The mark is found as a whole entry of /proc/PID/environ, and nowhere else. */
    @Test
    void theMarkIsAWholeEntryOfTheEnvironment() {
        byte[] mark = "M=ab".getBytes(UTF_8);
        assertTrue(NodeEval.contains(bytes("M=ab"), mark), "the only entry");
        assertTrue(NodeEval.contains(bytes("M=ab\0X=1\0"), mark), "the first");
        assertTrue(NodeEval.contains(bytes("X=1\0M=ab\0Y=2\0"), mark), "in the middle");
        assertTrue(NodeEval.contains(bytes("X=1\0M=ab"), mark), "the last, without a NUL after it");
        assertFalse(NodeEval.contains(bytes("XM=ab\0"), mark), "the end of another entry");
        assertFalse(NodeEval.contains(bytes("M=abc\0"), mark), "the start of another entry");
        assertFalse(NodeEval.contains(bytes("X=1\0M=a"), mark), "cut short at the end");
        assertFalse(NodeEval.contains(bytes("M=aB\0"), mark), "one byte differs");
        assertFalse(NodeEval.contains(bytes(""), mark), "nothing");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
