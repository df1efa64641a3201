package zdm.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import zdm.config.AppSpec;
import zdm.config.Readiness;
import zdm.net.PublicPort;
import zdm.net.SharedSocket;
import zdm.proc.ExitStatus;
import zdm.proc.ProcessIdentity;
import zdm.proc.ProcessTree;
import zdm.proc.Signal;

/**
 * A {@link Host} without processes or real time, for deterministic supervisor tests: spawns make
 * {@link Proc}s that do what the test says (exit, print a line, listen, grow, ignore their stop
 * signal), and timers fire only when the test {@link #advance}s the clock. Pids start above any
 * Linux pid_max, so nothing real is ever touched. The loop thread is real; {@link #settle} waits
 * until it has nothing left to do.
 */
final class FakeHost implements Host {
    /** One fake process. Mutable by the test thread while the loop is idle (see {@link #settle}). */
    final class Proc {
        final String app;
        final int worker;
        final long pid;
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        final ReadinessCheck.LineWatch watch;
        final int port;
        long rssBytes = 10 << 20;
        boolean ignoresStopSignal;
        /** In uninterruptible sleep (state D): even SIGKILL ends it only once the test says {@link #exits}. */
        boolean outlivesKill;
        boolean listening;
        final List<Signal> signals = new ArrayList<>();
        /** Its NOTIFY_SOCKET (ready: notify, liveness: watchdog): a real socket, else null. */
        String notifySocket;
        /** A port-learning app's worker: the file its preload would write the port of its listen() into, else null. */
        java.nio.file.Path listenFile;
        /** What it writes there once it calls listen() ("3000", "3000 127.0.0.1"), taken once by the daemon; null until then. */
        String listenRequest;

        Proc(String app, int worker, long pid, ReadinessCheck.LineWatch watch, int port) {
            this.app = app;
            this.worker = worker;
            this.pid = pid;
            this.watch = watch;
            this.port = port;
        }

        boolean alive() {
            return !exit.isDone();
        }

        /** The process ends by itself (from the test thread). */
        void exits(int code) {
            exit.complete(new ExitStatus(code, null));
            settle();
        }

        /** The process writes a line to stdout or stderr (from the test thread). */
        void prints(boolean err, String text) {
            logs.accept(this, err, text);
            watch.line(text);
            settle();
        }
    }

    private record Timer(long atMs, long seq, Runnable task) {}

    private final SupervisionLoop loop;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.atMs != b.atMs
            ? Long.compare(a.atMs, b.atMs) : Long.compare(a.seq, b.seq));
    private long seq;
    private volatile long now = 1_000_000;
    private volatile long wallOrigin = System.currentTimeMillis() - 3_600_000;
    private long nextPid = 100_000;
    final List<Proc> procs = new ArrayList<>();
    /** Per app name: the reason its spawns fail (a missing binary, a deleted cwd); absent = they succeed. */
    final Map<String, String> spawnFailures = new HashMap<>();
    /** Apps whose terminate throws: a stand-in for a bug while handling one app. */
    final Set<String> brokenTerminate = new HashSet<>();
    /** Whether new processes of an app listen on their port at once (for ready: tcp). */
    boolean listenAtOnce = true;
    /**
     * The pid the next process takes instead of a fake one, once (e.g. the test JVM's own, so that sd_notify datagrams
     * the test sends come from "the worker"); null: a fake pid. This host never signals a real process.
     */
    Long pidOfNext;
    /**
     * The private ports the next processes of apps with a port take, in order (sockets a test really listens on, to see
     * where the proxy sends requests); when empty, a made-up port nothing listens on.
     */
    final java.util.Queue<Integer> privatePorts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Every terminate the supervisor asked for, in order: also of a process that had exited already (its tree's leftovers). */
    final List<Termination> terminations = new ArrayList<>();

    record Termination(long pid, Signal signal, Duration timeout) {}
    /** Every probe the supervisor made, in order (readiness, liveness). */
    final List<Probe> probes = new ArrayList<>();
    /** Every file the supervisor took a port-learning worker's request from, in order (one per poll). */
    final List<java.nio.file.Path> takes = new ArrayList<>();

    /** What a process's output line does besides readiness: the fixture writes it to the app log. */
    TriConsumer logs = (p, err, text) -> {};

    interface TriConsumer { void accept(Proc p, boolean err, String text); }

    FakeHost(SupervisionLoop loop) {
        this.loop = loop;
    }

    @Override public long nowMs() { return now; }

    @Override public long wallMs() { return wallOrigin + now; }

    /** Sets the wall clock to {@code wallMs} without moving the monotonic one (an NTP step, a clock set by hand). */
    void setWall(long wallMs) {
        wallOrigin = wallMs - now;
    }

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        timers.add(new Timer(now + Math.max(0, delay.toMillis()), seq++, task));
    }

    @Override
    public synchronized WorkerLaunch.Launched spawn(AppSpec spec, int workerId, AppContext ctx, PublicPort port) throws IOException {
        String failure = spawnFailures.get(spec.name());
        if (failure != null) throw new IOException(failure);
        var watch = new ReadinessCheck.LineWatch(spec.health().ready() instanceof Readiness.Log l ? Pattern.compile(l.pattern()) : null);
        // ready: notify gets a real socket (nobody writes to it): its reader ends with the fake process.
        var notify = spec.health().ready() instanceof Readiness.Notify || spec.health().watchdog() ? NotifyWatch.open(ctx.notifyDir()) : null;
        long pid = pidOfNext != null ? pidOfNext : nextPid++;
        pidOfNext = null;
        Integer given = spec.network().port() == null ? null : privatePorts.poll();
        int privatePort = spec.network().port() == null ? 0 : given != null ? given : (int) (20_000 + pid % 10_000);
        var p = new Proc(spec.name(), workerId, pid, watch, privatePort);
        p.listening = listenAtOnce;
        p.notifySocket = notify == null ? null : notify.address();
        procs.add(p);
        var ref = new ProcessRef(pid, identity(pid), p.exit);
        if (spec.network().learnsPort()) { // as WorkerLaunch: a request file, and the app's socket once it has one
            p.listenFile = ctx.home().resolve("fake-" + pid + ".listen");
            return new WorkerLaunch.Launched(ref, 0, watch, notify, null, p.listenFile, port instanceof SharedSocket s ? s : null);
        }
        return new WorkerLaunch.Launched(ref, privatePort, watch, notify, null);
    }

    private static ProcessIdentity identity(long pid) {
        return new ProcessIdentity(pid, -pid); // a start time no real process has
    }

    @Override
    public synchronized CompletableFuture<ProcessTree.StopOutcome> terminate(ProcessIdentity process, Signal signal, Duration timeout) {
        var p = proc(process.pid());
        terminations.add(new Termination(process.pid(), signal, timeout));
        if (p != null && brokenTerminate.contains(p.app)) throw new IllegalStateException("terminate is broken for " + p.app);
        var outcome = new CompletableFuture<ProcessTree.StopOutcome>();
        if (p == null || !p.alive()) {
            outcome.complete(new ProcessTree.StopOutcome(false, Duration.ZERO));
            return outcome;
        }
        p.signals.add(signal);
        if (p.outlivesKill) {
            p.exit.thenRun(() -> outcome.complete(new ProcessTree.StopOutcome(false, Duration.ZERO)));
        } else if (signal == Signal.SIGKILL || !p.ignoresStopSignal) {
            p.exit.complete(new ExitStatus(null, signal));
            outcome.complete(new ProcessTree.StopOutcome(false, Duration.ZERO));
        } else {
            timers.add(new Timer(now + timeout.toMillis(), seq++, () -> {
                if (p.alive()) {
                    p.signals.add(Signal.SIGKILL);
                    p.exit.complete(new ExitStatus(null, Signal.SIGKILL));
                }
                outcome.complete(new ProcessTree.StopOutcome(true, timeout));
            }));
        }
        return outcome;
    }

    @Override
    public synchronized CompletableFuture<Boolean> probe(Probe probe) {
        probes.add(probe);
        int port = switch (probe) {
            case Probe.Tcp t -> t.port();
            case Probe.HttpOk h -> h.port();
            case Probe.HttpAnswers h -> h.port();
            case Probe.ReadyFile f -> -1; // no fake process writes one
        };
        return CompletableFuture.completedFuture(procs.stream().anyMatch(p -> p.port == port && p.alive() && p.listening));
    }

    @Override
    public synchronized CompletableFuture<String> take(java.nio.file.Path file) {
        takes.add(file);
        for (var p : procs) {
            if (file.equals(p.listenFile) && p.listenRequest != null) {
                var request = p.listenRequest;
                p.listenRequest = null;
                return CompletableFuture.completedFuture(request);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Long> treeRssBytes(long pid) {
        var p = proc(pid);
        return CompletableFuture.completedFuture(p == null || !p.alive() ? -1L : p.rssBytes);
    }

    synchronized Proc proc(long pid) {
        return procs.stream().filter(p -> p.pid == pid).findFirst().orElse(null);
    }

    /** The live processes of {@code app}, oldest first. */
    synchronized List<Proc> alive(String app) {
        return procs.stream().filter(p -> p.app.equals(app) && p.alive()).toList();
    }

    /** The newest process of a worker slot. */
    synchronized Proc newest(String app, int worker) {
        Proc found = null;
        for (var p : procs) if (p.app.equals(app) && p.worker == worker) found = p;
        return found;
    }

    /**
     * Moves the clock forward by {@code ms}, firing each timer that falls due on the way at its own time
     * (a timer's task may schedule the next one, which fires too if it is due within the step).
     */
    void advance(long ms) {
        long target = now + ms;
        while (true) {
            Timer t;
            synchronized (this) {
                t = timers.peek();
                if (t == null || t.atMs > target) break;
                timers.poll();
                now = t.atMs;
            }
            var task = t.task;
            loop.post(task);
            settle();
        }
        now = target;
        settle();
    }

    /** How many timers wait for the clock: a test sees that something (a file change's debounce) was scheduled. */
    synchronized int timersPending() {
        return timers.size();
    }

    /** The timers not yet fired (a chain of checks that never ends shows here). */
    synchronized int pendingTimers() {
        return timers.size();
    }

    /** Waits until the loop has run everything posted so far, and everything that posted. */
    void settle() {
        while (!loop.call(loop::mailboxEmpty).join()) {
            Thread.onSpinWait();
        }
    }
}
