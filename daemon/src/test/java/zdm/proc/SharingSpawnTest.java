package zdm.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.net.FreePorts;
import zdm.net.SharedSocket;
import zdm.test.Await;

/** listen: socket spawning: fd 3, the LISTEN_* variables, own session, no shell interpretation, exits. */
class SharingSpawnTest {
    @TempDir
    Path dir;
    OutputCapture capture;
    SharedSocket socket;
    final OutputCaptureTest.Sink sink = new OutputCaptureTest.Sink();

    @BeforeEach
    void setUp() throws Exception {
        capture = new OutputCapture(dir.resolve("capture"));
        socket = SharedSocket.open("web", FreePorts.reserve());
    }

    @AfterEach
    void tearDown() {
        socket.close();
        capture.close();
    }

    private WorkerProcess spawn(List<String> command) throws Exception {
        return SharingSpawn.spawn(new SpawnSpec("web", 0, command, dir, Map.of("EXTRA", "x")), sink, capture, socket.fd());
    }

    @Test
    void theWorkerGetsTheSocketAsFd3AndItsOwnPidAsListenPidInItsOwnSession() throws Exception {
        // The descriptors are listed from here, once the worker sleeps: a listing from inside the
        // shell would also see the pipe or directory descriptors that the listing itself opens.
        var p = spawn(List.of("sh", "-c", "echo \"$LISTEN_PID $$ $LISTEN_FDS $LISTEN_FDNAMES $EXTRA\";"
                + " readlink /proc/$$/fd/3; cut -d' ' -f6 /proc/$$/stat; pwd; exec sleep 30"));
        Await.until(Duration.ofSeconds(10), () -> sink.texts(false).size() >= 4, "four lines");
        var lines = sink.texts(false);
        assertEquals(p.pid() + " " + p.pid() + " 1 web x", lines.get(0), "LISTEN_PID is the worker's own pid");
        assertTrue(lines.get(1).startsWith("socket:["), lines.get(1));
        assertEquals(Long.toString(p.pid()), lines.get(2), "session leader");
        assertEquals(dir.toString(), lines.get(3));
        try (var fds = java.nio.file.Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
            assertEquals(List.of("0", "1", "2", "3"), fds.map(f -> f.getFileName().toString()).sorted().toList(),
                    "stdio, the socket, nothing else leaks");
        }
        Posix.kill(p.pid(), Signal.SIGKILL);
        assertEquals(new ExitStatus(null, Signal.SIGKILL), p.onExit().get(20, TimeUnit.SECONDS));
    }

    @Test
    void argumentsReachTheProgramVerbatimWithoutShellInterpretation() throws Exception {
        var p = spawn(List.of("printf", "%s\\n", "$(echo injected)", "a  b", "*", "\"q\"", "$LISTEN_PID"));
        assertEquals(new ExitStatus(0, null), p.onExit().get(20, TimeUnit.SECONDS));
        // No waiting: a worker's lines are delivered before its exit is reported.
        assertEquals(List.of("$(echo injected)", "a  b", "*", "\"q\"", "$LISTEN_PID"), sink.texts(false));
    }

    @Test
    void exitCodesAndSignalsAreReported() throws Exception {
        assertEquals(new ExitStatus(7, null), spawn(List.of("sh", "-c", "exit 7")).onExit().get(20, TimeUnit.SECONDS));
        assertEquals(new ExitStatus(null, Signal.SIGKILL),
                spawn(List.of("sh", "-c", "kill -9 $$")).onExit().get(20, TimeUnit.SECONDS));
    }

    @Test
    void aConnectionWaitsInTheSharedQueueAndTheWorkerAcceptsIt() throws Exception {
        // The daemon never accepts: a connection made before any worker runs is queued, not refused.
        try (var client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", socket.port()), 5000);
            client.getOutputStream().write("hello\n".getBytes());
            var p = spawn(List.of("python3", "-c", "import socket; s = socket.socket(fileno=3); c, _ = s.accept();"
                    + " print(c.recv(100).decode().strip())"));
            assertEquals(new ExitStatus(0, null), p.onExit().get(20, TimeUnit.SECONDS));
            Await.until(Duration.ofSeconds(10), () -> sink.texts(false).contains("hello"), "the worker got the queued connection");
        }
    }

    @Test
    void aMissingProgramIsAOneLineErrorNamingTheKey() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> spawn(List.of("no-such-program-zdm")));
        assertTrue(e.getMessage().contains("no-such-program-zdm") && e.getMessage().contains("apps[web].command"), e.getMessage());
    }

    @Test
    void aPortInUseIsReportedWithTheAppAndTheFix() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> SharedSocket.open("api", socket.port()));
        assertEquals("port " + socket.port() + " is already in use by another process; choose another port: for app api",
                e.getMessage());
    }

    @Test
    void acceptedSocketsHaveTcpNoDelayFromTheListeningSocket() throws Exception {
        // uvicorn never sets TCP_NODELAY on sockets accepted from an inherited fd: it must come from the listener.
        try (var client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", socket.port()), 5000);
            var p = spawn(List.of("python3", "-c", "import socket; s = socket.socket(fileno=3); c, _ = s.accept();"
                    + " print('nodelay', c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))"));
            assertEquals(new ExitStatus(0, null), p.onExit().get(20, TimeUnit.SECONDS));
            assertEquals(List.of("nodelay 1"), sink.texts(false));
        }
    }

    @Test
    void theSocketCanBeHandedAsStdinWithoutListenVariables() throws Exception {
        var p = SharingSpawn.spawn(new SpawnSpec("web", 0, List.of("sh", "-c", "echo \"[$LISTEN_FDS][$LISTEN_PID]\";"
                + " readlink /proc/$$/fd/0; exec sleep 30"), dir, Map.of()), sink, capture, socket.fd(), 0);
        Await.until(Duration.ofSeconds(10), () -> sink.texts(false).size() >= 2, "two lines");
        assertEquals("[][]", sink.texts(false).get(0), "no LISTEN_* for a socket given as stdin");
        assertTrue(sink.texts(false).get(1).startsWith("socket:["), sink.texts(false).toString());
        try (var fds = java.nio.file.Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
            assertEquals(List.of("0", "1", "2"), fds.map(f -> f.getFileName().toString()).sorted().toList(), "no fd 3");
        }
        Posix.kill(p.pid(), Signal.SIGKILL);
        p.onExit().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aPortInUseNamesTheProcessHoldingIt() throws Exception {
        int port = FreePorts.reserve();
        var holder = new ProcessBuilder("python3", "-c", "import socket,sys,time; s = socket.socket();"
                + " s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', " + port + ")); s.listen();"
                + " print('up', flush=True); time.sleep(60)").start();
        try {
            assertEquals("up", new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine());
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> SharedSocket.open("api", port));
            assertEquals("port " + port + " is already in use by python3 (pid " + holder.pid() + "); choose another port: for app api",
                    e.getMessage());
        } finally {
            holder.destroyForcibly();
        }
    }
}
