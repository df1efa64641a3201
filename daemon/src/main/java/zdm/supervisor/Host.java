package zdm.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import zdm.config.AppSpec;
import zdm.net.PublicPort;
import zdm.proc.ProcessIdentity;
import zdm.proc.ProcessTree;
import zdm.proc.Signal;

/**
 * Everything the supervisor asks of the world outside its loop: spawning a worker, stopping a
 * process tree, probing a port, measuring a tree's memory, and time. {@link OsHost} is the real
 * one; the supervisor tests use a fake, so that every case (a spawn that fails, a release that
 * crashes after its readiness check, a worker that grows) is played deterministically on a state
 * fixture, without processes or sleeps.
 *
 * <p>Time is monotonic: uptime, backoff, readiness deadlines and stability windows never jump with
 * the wall clock. Results of blocking work come back as futures, completed off the loop; the
 * supervisor posts what it does about them back onto the loop.
 */
interface Host {
    /** Monotonic milliseconds (an arbitrary origin): for durations only. */
    long nowMs();

    /** Wall-clock milliseconds: for timestamps a person reads (log lines). */
    long wallMs();

    /** Runs {@code task} on the loop after {@code delay}. */
    void schedule(Duration delay, Runnable task);

    /**
     * Starts one worker process of {@code spec}.
     *
     * @throws IOException (or a RuntimeException) the OS's reason: the start failed, nothing is left running
     */
    WorkerLaunch.Launched spawn(AppSpec spec, int workerId, AppContext ctx, PublicPort port) throws IOException;

    /** Stop signal to the tree, SIGKILL after {@code timeout}; completes once the tree is gone (or given up on). */
    CompletableFuture<ProcessTree.StopOutcome> terminate(ProcessIdentity process, Signal signal, Duration timeout);

    /** One probe of a worker's private port; completes with its verdict. */
    CompletableFuture<Boolean> probe(Probe probe);

    /** The content of a file a worker's preload wrote ({@link PortRequest}), which is then deleted; null while there is none. */
    CompletableFuture<String> take(java.nio.file.Path file);

    /** The resident size of the process tree rooted at {@code pid}, in bytes; -1 when it cannot be read. */
    CompletableFuture<Long> treeRssBytes(long pid);

    /** What a readiness or liveness check asks of a worker's private port. */
    sealed interface Probe {
        /** The port accepts a TCP connection. */
        record Tcp(int port) implements Probe {}

        /** A GET of {@code path} answers 2xx. */
        record HttpOk(int port, String path) implements Probe {}

        /** A GET of {@code path} gets any HTTP answer within {@code timeout} (liveness). */
        record HttpAnswers(int port, String path, Duration timeout) implements Probe {}

        /** The worker's preload created {@code file} (its process.send('ready')); a found file is consumed. */
        record ReadyFile(Path file) implements Probe {}
    }
}
