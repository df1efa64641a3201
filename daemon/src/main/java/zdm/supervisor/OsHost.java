package zdm.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import zdm.config.AppSpec;
import zdm.net.HttpProbe;
import zdm.net.PublicPort;
import zdm.net.TcpProbe;
import zdm.proc.ProcessIdentity;
import zdm.proc.ProcessTree;
import zdm.proc.ResourceSampler;
import zdm.proc.Signal;

/** The real {@link Host}: processes, signals and /proc of this machine; blocking work on virtual threads. */
final class OsHost implements Host {
    private final SupervisionLoop loop;
    private final ResourceSampler sampler;

    OsHost(SupervisionLoop loop, ResourceSampler sampler) {
        this.loop = loop;
        this.sampler = sampler;
    }

    @Override public long nowMs() { return System.nanoTime() / 1_000_000; }

    @Override public long wallMs() { return System.currentTimeMillis(); }

    @Override public void schedule(Duration delay, Runnable task) { loop.schedule(delay, task); }

    @Override
    public WorkerLaunch.Launched spawn(AppSpec spec, int workerId, AppContext ctx, PublicPort port) throws IOException {
        return WorkerLaunch.start(spec, workerId, ctx, port);
    }

    @Override
    public CompletableFuture<ProcessTree.StopOutcome> terminate(ProcessIdentity process, Signal signal, Duration timeout) {
        return offLoop("zdm-stop-" + process.pid(), () -> ProcessTree.terminate(process, signal, timeout), null);
    }

    @Override
    public CompletableFuture<Boolean> probe(Probe probe) {
        return offLoop("zdm-probe", () -> switch (probe) {
            case Probe.Tcp t -> TcpProbe.accepts(t.port(), Duration.ofMillis(250));
            case Probe.HttpOk h -> HttpProbe.ok(h.port(), h.path(), Duration.ofSeconds(1));
            case Probe.HttpAnswers h -> HttpProbe.answers(h.port(), h.path(), h.timeout());
            case Probe.ReadyFile f -> consumed(f.file());
        }, false);
    }

    @Override
    public CompletableFuture<String> take(java.nio.file.Path file) {
        return offLoop("zdm-take", () -> {
            try {
                String content = java.nio.file.Files.readString(file);
                java.nio.file.Files.deleteIfExists(file);
                return content;
            } catch (java.io.IOException e) {
                return null; // not written yet (the preload renames it into place whole)
            }
        }, null);
    }

    @Override
    public CompletableFuture<Long> treeRssBytes(long pid) {
        return offLoop("zdm-rss-" + pid, () -> sampler.usage(pid).rssBytes(), -1L);
    }

    private static boolean consumed(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs blocking {@code work} on a virtual thread; a RuntimeException completes with {@code onFailure} (null: with it). */
    private static <T> CompletableFuture<T> offLoop(String name, Supplier<T> work, T onFailure) {
        var result = new CompletableFuture<T>();
        Thread.ofVirtual().name(name).start(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                if (onFailure == null) result.completeExceptionally(e);
                else result.complete(onFailure);
            }
        });
        return result;
    }
}
