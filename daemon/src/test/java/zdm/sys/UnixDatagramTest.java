package zdm.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import zdm.test.Await;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnixDatagramTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void pathSocketCarriesBytesAndTheSendersPid() throws Exception {
        Path sock = dir.resolve("notify.sock");
        try (var receiver = UnixDatagram.bind(sock)) {
            UnixDatagram.send(sock, "READY=1\nSTATUS=fine".getBytes(StandardCharsets.UTF_8));
            var d = receiver.receive(WAIT).orElseThrow();
            assertEquals("READY=1\nSTATUS=fine", d.text());
            assertEquals(ProcessHandle.current().pid(), d.senderPid());
            assertFalse(d.truncated());
        }
        assertFalse(Files.exists(sock), "close removes the socket file");
    }

    @Test
    void abstractNameWorksLikeNotifySocketSpellsIt() throws Exception {
        String name = "@zdm-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (var receiver = UnixDatagram.bind(name, 4096)) {
            assertEquals(name, receiver.address());
            UnixDatagram.send(name, new byte[] {1, 2, 0, 3});
            assertArrayEquals(new byte[] {1, 2, 0, 3}, receiver.receive(WAIT).orElseThrow().data());
        }
    }

    @Test
    void datagramsKeepTheirBoundariesAndOrder() throws Exception {
        Path sock = dir.resolve("s");
        try (var receiver = UnixDatagram.bind(sock)) {
            for (int i = 0; i < 5; i++) UnixDatagram.send(sock, ("m" + i).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 5; i++) assertEquals("m" + i, receiver.receive(WAIT).orElseThrow().text());
            assertEquals(Optional.empty(), receiver.receive(Duration.ZERO));
        }
    }

    @Test
    void emptyDatagramIsDelivered() throws Exception {
        Path sock = dir.resolve("s");
        try (var receiver = UnixDatagram.bind(sock)) {
            UnixDatagram.send(sock, new byte[0]);
            assertEquals(0, receiver.receive(WAIT).orElseThrow().data().length);
        }
    }

    @Test
    void longerThanTheBufferIsTruncatedAndSaysSo() throws Exception {
        String name = "@zdm-trunc-" + System.nanoTime();
        try (var receiver = UnixDatagram.bind(name, 8)) {
            UnixDatagram.send(name, "0123456789abcdef".getBytes(StandardCharsets.UTF_8));
            var d = receiver.receive(WAIT).orElseThrow();
            assertEquals("01234567", d.text());
            assertTrue(d.truncated());
        }
    }

    @Test
    void receiveTimesOutEmpty() throws Exception {
        try (var receiver = UnixDatagram.bind(dir.resolve("quiet"))) {
            long t0 = System.nanoTime();
            assertEquals(Optional.empty(), receiver.receive(Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(150).toNanos(), "waited for the timeout");
        }
    }

    @Test
    void closeWakesABlockedReceive() throws Exception {
        var receiver = UnixDatagram.bind(dir.resolve("wake"));
        CompletableFuture<Optional<UnixDatagram.Datagram>> pending = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("blocked-receive").start(() -> {
            try {
                pending.complete(receiver.receive(Duration.ofSeconds(60)));
            } catch (Throwable e) {
                pending.completeExceptionally(e);
            }
        });
        // Once the thread is waiting for the socket, close must wake it (shutdown), not leave it for 60 s.
        Await.until(WAIT, () -> java.util.Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("awaitReadable")), "receive waiting in poll");
        receiver.close();
        assertEquals(Optional.empty(), pending.get(10, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), receiver.receive(Duration.ofSeconds(5)), "receive after close returns at once");
    }

    @Test
    void sendingToNobodyFailsWithTheReason() {
        var e = assertThrows(IOException.class, () -> UnixDatagram.send(dir.resolve("absent.sock"), new byte[] {1}));
        assertTrue(e.getMessage().contains("No such file"), e.getMessage());
        var e2 = assertThrows(IOException.class, () -> UnixDatagram.send("@zdm-nobody-" + System.nanoTime(), new byte[] {1}));
        assertTrue(e2.getMessage().contains("Connection refused"), e2.getMessage());
    }

    @Test
    void badAddressesAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> UnixDatagram.send("", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> UnixDatagram.send("/tmp/" + "x".repeat(120), new byte[0]));
        Path file = Files.writeString(dir.resolve("regular"), "keep me");
        assertThrows(IOException.class, () -> UnixDatagram.bind(file));
        assertEquals("keep me", Files.readString(file), "a regular file in the way is never removed");
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path sock = dir.resolve("stale");
        var first = UnixDatagram.bind(sock);
        // Leak the file as a crashed receiver would: bind again while it exists.
        try (var second = UnixDatagram.bind(sock)) {
            UnixDatagram.send(sock, "x".getBytes(StandardCharsets.UTF_8));
            assertEquals("x", second.receive(WAIT).orElseThrow().text());
        } finally {
            first.close();
        }
    }

    @Test
    void anotherProcessIsIdentifiedByItsPid() throws Exception {
        Path sock = dir.resolve("cross");
        try (var receiver = UnixDatagram.bind(sock)) {
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), DatagramSender.class.getName(), sock.toString(), "READY=1"))
                    .redirectErrorStream(true).start();
            try {
                var d = receiver.receive(Duration.ofSeconds(30)).orElseThrow();
                assertEquals("READY=1", d.text());
                assertEquals(p.pid(), d.senderPid());
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** A separate JVM that sends one datagram: proves the pid is the sender's, not ours. */
    static final class DatagramSender {
        public static void main(String[] args) throws IOException {
            UnixDatagram.send(args[0], args[1].getBytes(StandardCharsets.UTF_8));
        }
    }
}
