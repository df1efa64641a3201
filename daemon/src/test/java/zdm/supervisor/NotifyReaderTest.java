package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zdm.config.Readiness;
import zdm.proc.ExitStatus;
import zdm.test.Await;

/**
 * Issue 16: however many workers have a NOTIFY_SOCKET, one thread reads them all ({@link NotifyReader}). 200 real
 * processes (forked by one Python hub, so that starting them is cheap) each send READY=1 and a STATUS= naming their
 * pid from their own socket; the fake host gives each worker its real process's pid, so the datagrams pass the
 * SO_PASSCRED check as a real worker's would. Each process exits when the test says, and its socket must then be
 * closed and unlinked. With a thread per socket (before) there were 200 reader threads.
 */
class NotifyReaderTest extends FixtureTest {
    private static final int WORKERS = 200;
    /** {@link NotifyReader}'s thread name, as /proc shows it too (under 16 bytes); spelled out so the test builds without it. */
    private static final String READER = "zdm-notify";
    /** Forks the workers and prints their pids; on stdin "PID PATH" makes one send to PATH, "PID exit" ends it. */
    private static final String HUB = """
            import os, socket, sys
            pipes = {}
            for _ in range(int(sys.argv[1])):
                r, w = os.pipe()
                pid = os.fork()
                if pid == 0:
                    for other in pipes.values(): os.close(other)
                    os.close(w)
                    path = os.read(r, 4096).decode()
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                    s.sendto(("READY=1\\nSTATUS=hello from %d" % os.getpid()).encode(), path)
                    os.read(r, 1)  # sleeps until the hub closes its pipe
                    os._exit(0)
                os.close(r)
                pipes[pid] = w
                print(pid, flush=True)
            for line in sys.stdin:
                pid, what = line.split(None, 1)
                pid, what = int(pid), what.strip()
                if what == "exit":
                    os.close(pipes.pop(pid))
                    os.waitpid(pid, 0)
                    print("exited", pid, flush=True)
                else:
                    os.write(pipes[pid], what.encode())
            """;
    private Process hub;

    @AfterEach
    void endTheHub() {
        if (hub == null) return;
        hub.descendants().forEach(ProcessHandle::destroyForcibly);
        hub.destroyForcibly();
    }

    @Test
    void oneThreadReadsEveryWorkersSocketAndEachIsClosedAfterItsExit() throws Exception {
        hub = new ProcessBuilder("python3", "-c", HUB, Integer.toString(WORKERS)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var fromHub = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
        var toHub = new PrintStream(hub.getOutputStream(), true, StandardCharsets.UTF_8);
        List<FakeHost.Proc> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            f.host.pidOfNext = Long.parseLong(fromHub.readLine().trim());
            String app = "svc" + i;
            f.start(SupervisorFixture.spec(app).ready(new Readiness.Notify()).listenTimeoutMs(60_000).autorestart(false).build());
            var worker = f.host.newest(app, 0);
            workers.add(worker);
            toHub.println(worker.pid + " " + worker.notifySocket);
        }

        // (b) every worker's datagram arrived: it is online by READY=1 and shows its own STATUS=
        for (int i = 0; i < WORKERS; i++) {
            String app = "svc" + i;
            String status = "hello from " + workers.get(i).pid;
            Await.until(Duration.ofSeconds(60), () -> f.states(app).equals(List.of("online"))
                    && status.equals(f.view(app).workers().getFirst().status()), () -> app + " online with its STATUS=; events: " + f.events(app));
        }
        // (a) one reader, whatever the number of sockets
        assertEquals(1, readerThreads(), "threads reading NOTIFY_SOCKETs for " + WORKERS + " workers");
        // and it sleeps while nothing arrives: no polling (a thread per socket woke 4 times a second)
        long before = voluntarySwitches();
        long idleFrom = System.nanoTime();
        Await.until(Duration.ofSeconds(5), () -> System.nanoTime() - idleFrom > 1_000_000_000L, "a second of quiet");
        assertTrue(voluntarySwitches() - before <= 1, "the reader woke up while no datagram came");

        // (c) once each process has exited, its socket is closed and unlinked
        for (var w : workers) toHub.println(w.pid + " exit");
        for (int i = 0; i < WORKERS; i++) assertTrue(fromHub.readLine().startsWith("exited "));
        for (var w : workers) w.exit.complete(new ExitStatus(0, null));
        for (var w : workers) {
            var socket = Path.of(w.notifySocket);
            Await.until(Duration.ofSeconds(30), () -> !Files.exists(socket), () -> socket + " unlinked after its worker's exit");
        }
        assertEquals(1, readerThreads(), "the reader stays, alone");
    }

    /** Live threads reading workers' NOTIFY_SOCKETs: "zdm-notify", or before, "zdm-notify-APP-ID" (leftovers' aside). */
    private static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith(READER) && !n.startsWith("zdm-notify-leftover")).count();
    }

    /** The reader thread's voluntary context switches (each a wake-up from epoll_wait), found by its name in /proc. */
    private static long voluntarySwitches() throws Exception {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (!Files.readString(task.resolve("comm")).strip().equals(READER)) continue;
                for (String line : Files.readAllLines(task.resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:")) return Long.parseLong(line.split(":")[1].strip());
                }
            }
        }
        throw new AssertionError("no thread named " + READER);
    }
}
