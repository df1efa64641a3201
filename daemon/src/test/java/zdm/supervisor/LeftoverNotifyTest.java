package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zdm.supervisor.Leftovers.identity;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zdm.sys.UnixDatagram;
import zdm.test.Await;

/**
 * The NOTIFY_SOCKETs a previous daemon left in its notify directory, bound again for the workers it left running
 * ({@link LeftoverNotify}): only its own socket files are taken, a STOPPING=1 counts only from a leftover's process
 * tree, and the sockets are let go once every leftover has exited. Real processes and real datagrams.
 */
class LeftoverNotifyTest extends FixtureTest {
    private final Leftovers started = new Leftovers();

    @AfterEach
    void endLeftovers() {
        started.close();
    }

    /** A socket file as a daemon that died leaves it: bound, its socket gone (nothing receives on it). */
    private static Path staleSocket(Path file) throws IOException {
        try (var ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(file));
        }
        return file;
    }

    private static boolean delivers(Path socket) {
        try {
            UnixDatagram.send(socket, "STATUS=probe".getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            return false; // ECONNREFUSED: nothing is bound to it
        }
    }

    private long stoppingEvents() {
        return f.events("web").stream().filter(e -> e.startsWith("stopping: ")).count();
    }

    @Test
    void onlyTheDaemonsOwnSocketFilesAreTakenAndTheyAreLetGoOnceEveryLeftoverExited() throws Exception {
        var notify = Files.createDirectories(home.resolve("notify"));
        var own = staleSocket(notify.resolve("4242-1.sock"));
        var foreign = staleSocket(notify.resolve("other.sock")); // not named <pid>-<seq>.sock: not a daemon's
        var old = started.start(new ProcessBuilder("sleep", "60"));
        LeftoverNotify.listen(f.sup.registry(), List.of(new LeftoverNotify.Kept("web", 0, identity(old))), notify);
        Await.until(Duration.ofSeconds(10), () -> delivers(own), "the daemon's own socket file is bound again");
        assertThrows(IOException.class, () -> UnixDatagram.send(foreign, "STATUS=x".getBytes(StandardCharsets.UTF_8)),
                "a socket file of another name is left alone");
        old.destroyForcibly();
        assertTrue(old.waitFor(10, TimeUnit.SECONDS));
        // the reader sees the last leftover gone within a poll (250 ms) and closes its socket, which removes the file
        Await.until(Duration.ofSeconds(10), () -> !Files.exists(own), "the socket is let go once no leftover lives");
        assertTrue(Files.exists(foreign), "the other file stays");
    }

    @Test
    void aStoppingMessageCountsOnlyFromALeftoversProcessTree() throws Exception {
        f.store.putApp(SupervisorFixture.spec("web").build(), true);
        var notify = Files.createDirectories(home.resolve("notify"));
        var socket = staleSocket(notify.resolve("4242-1.sock"));
        // a leftover that says STOPPING=1 when told to (a line on its stdin), as puma does when it is retired
        var old = started.start(new ProcessBuilder("python3", "-c", """
                import socket, sys
                print("up", flush=True)
                sys.stdin.readline()
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                s.sendto(b"STOPPING=1", sys.argv[1])
                sys.stdin.readline()
                """, socket.toString()));
        assertEquals("up", old.inputReader().readLine());
        var id = identity(old);
        var quiet = identity(started.start(new ProcessBuilder("sleep", "60"))); // another leftover, listed first
        LeftoverNotify.listen(f.sup.registry(), List.of(new LeftoverNotify.Kept("web", 0, quiet), new LeftoverNotify.Kept("web", 1, id)), notify);
        Await.until(Duration.ofSeconds(10), () -> delivers(socket), "the socket file is bound again");
        // first a STOPPING=1 from this test's JVM, which is in no leftover's tree: ignored
        UnixDatagram.send(socket, "STOPPING=1".getBytes(StandardCharsets.UTF_8));
        old.outputWriter().write("stop\n");
        old.outputWriter().flush();
        // one socket, read in order, its events written in order: once the leftover's counts, the test's was read before it
        Await.until(Duration.ofSeconds(20), () -> f.hasEvent("web", "stopping: pid " + id.pid() + " (left running by a previous daemon) sent STOPPING=1"),
                () -> f.events("web").toString());
        f.host.settle();
        assertEquals(1, stoppingEvents(), f.events("web").toString());
    }
}
