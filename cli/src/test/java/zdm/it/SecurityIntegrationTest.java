package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.proc.Posix;
import zdm.protocol.ErrorKind;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;
import zdm.test.Await;

/** Nothing gets in: file modes, the peer uid check with a real second user, garbage on the socket. */
@ExtendWith(ZdmHomes.class)
class SecurityIntegrationTest {
    static final String PEER_USER = "zdm-peer";
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        z.ok("ping");
    }

    @Test
    void homeSocketAndStoreAreOwnerOnly() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(z.home)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(z.paths().socket())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(z.paths().database())));
    }

    @Test
    void everyFileAndDirectoryTheDaemonWroteIsOwnerOnly() throws Exception {
        // An app that writes to stdout and stderr, so logs and capture files exist, and a store with content.
        z.file("noisy.js", "console.log('out ' + process.env.SECRET_TOKEN); console.error('err'); setInterval(() => {}, 1000);\n");
        z.ecosystem("""
                apps:
                  - name: noisy
                    script: noisy.js
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: ${TAG}, SECRET_TOKEN: hunter2 }
                """);
        z.ok("start", "ecosystem.yaml");
        var outLog = z.paths().logs().resolve("noisy.out.log");
        Await.until(ZdmHome.SHORT, () -> read(outLog).contains("out "), "a line logged");
        var loose = new java.util.ArrayList<String>();
        try (var files = Files.walk(z.home)) {
            for (var f : files.toList()) {
                if (Files.isSymbolicLink(f)) continue;
                var perms = Files.getPosixFilePermissions(f);
                if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                    loose.add(z.home.relativize(f) + " " + PosixFilePermissions.toString(perms));
                }
            }
        }
        assertEquals(java.util.List.of(), loose, "files readable by others");
        for (var f : java.util.List.of(outLog, z.paths().logs().resolve("noisy.err.log"), z.paths().database())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
    }

    @Test
    void argumentsReachTheProgramVerbatimWithoutAShell() throws Exception {
        z.file("argv.js", "require('fs').writeFileSync(process.env.OUT, JSON.stringify(process.argv.slice(2)));"
                + " setInterval(() => {}, 1000);\n");
        var touched = z.dir.resolve("touched");
        var out1 = z.dir.resolve("argv1.json");
        var out2 = z.dir.resolve("argv2.json");
        z.ecosystem("""
                apps:
                  - name: listed
                    script: argv.js
                    args: ['$(touch %1$s)', '; touch %1$s', '`touch %1$s`', '| touch %1$s', '$HOME', '*']
                    env: { ZDM_TEST_TAG: ${TAG}, OUT: %2$s }
                  - name: split
                    command: node argv.js '$(touch %1$s)' "; touch %1$s" '&&' touch %1$s
                    env: { ZDM_TEST_TAG: ${TAG}, OUT: %3$s }
                """.formatted(touched, out1, out2));
        z.ok("start", "ecosystem.yaml");
        Await.until(ZdmHome.SHORT, () -> !read(out1).isEmpty() && !read(out2).isEmpty(), "both apps wrote their argv");
        assertEquals("[\"$(touch %1$s)\",\"; touch %1$s\",\"`touch %1$s`\",\"| touch %1$s\",\"$HOME\",\"*\"]"
                .formatted(touched), Files.readString(out1));
        assertEquals("[\"$(touch %1$s)\",\"; touch %1$s\",\"&&\",\"touch\",\"%1$s\"]".formatted(touched),
                Files.readString(out2));
        assertTrue(!Files.exists(touched), "no shell ran any of it");
    }

    @Test
    void garbageAndOversizedFramesGetAnErrorAndTheDaemonStillAnswers() throws Exception {
        // Garbage JSON in a valid frame: an error reply, and the connection stays usable.
        try (var ch = connect()) {
            Wire.writeFrame(ch, "{not json".getBytes());
            assertFailed(ErrorKind.BAD_REQUEST, read(ch));
            Wire.writeFrame(ch, "{\"v\":1,\"request\":{\"type\":\"no-such-request\"}}".getBytes());
            assertFailed(ErrorKind.BAD_REQUEST, read(ch));
            Wire.writeFrame(ch, "{\"v\":99,\"request\":{\"type\":\"ping\"}}".getBytes());
            var wrongVersion = assertFailed(ErrorKind.BAD_REQUEST, read(ch));
            assertTrue(wrongVersion.message().contains("protocol version 99"), wrongVersion.message());
            Wire.send(ch, new Request.Ping());
            assertInstanceOf(Response.Pong.class, read(ch));
        }
        // A frame header announcing 2 GiB: refused before anything is buffered.
        try (var ch = connect()) {
            ch.write(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).flip());
            assertFailed(ErrorKind.BAD_REQUEST, read(ch));
        }
        // Random bytes, then hang up mid-frame.
        try (var ch = connect()) {
            var junk = new byte[1000];
            new java.util.Random(42).nextBytes(junk);
            ch.write(ByteBuffer.wrap(junk));
        }
        assertInstanceOf(Response.Pong.class, z.request(new Request.Ping()));
    }

    @Test
    @org.junit.jupiter.api.Tag("root")
    void aPeerWithAnotherUidIsRefusedByTheDaemon() throws Exception {
        assumeTrue(Posix.getuid() == 0, "needs root to run a client as a second user");
        assumeTrue(run("id", "-u", PEER_USER) == 0, "bin/test creates the user " + PEER_USER);
        // Open the file-system gates on purpose, so only the daemon's SO_PEERCRED check stands in the way.
        Files.setPosixFilePermissions(z.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(z.home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(z.paths().socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
        var probe = z.file("probe/Probe.java", """
                import java.net.*; import java.nio.*; import java.nio.channels.*;
                public class Probe {
                    public static void main(String[] a) throws Exception {
                        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                            ch.connect(UnixDomainSocketAddress.of(a[0]));
                            byte[] body = "{\\"v\\":1,\\"request\\":{\\"type\\":\\"ping\\"}}".getBytes();
                            ch.write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip());
                            var len = ByteBuffer.allocate(4); while (len.hasRemaining() && ch.read(len) >= 0) {}
                            var reply = ByteBuffer.allocate(len.flip().getInt()); while (reply.hasRemaining() && ch.read(reply) >= 0) {}
                            System.out.println(new String(reply.array()));
                        }
                    }
                }
                """);
        Files.setPosixFilePermissions(probe.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        var out = z.dir.resolve("probe.out");
        var p = new ProcessBuilder("runuser", "-u", PEER_USER, "--", java, probe.toString(), z.paths().socket().toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
        var reply = Files.readString(out);
        assertTrue(reply.contains("\"failed\"") && reply.contains("DENIED"), "refused: " + reply);
        Await.until(ZdmHome.SHORT, () -> z.daemonLog().contains("refused a client running as user '" + PEER_USER + "'"), "refusal logged");
        assertInstanceOf(Response.Pong.class, z.request(new Request.Ping()), "its own user still gets in");
    }

    /** The file's text, or "" while it does not exist yet. */
    private static String read(java.nio.file.Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static int run(String... cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private SocketChannel connect() throws Exception {
        var ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(z.paths().socket()));
        return ch;
    }

    private static Response read(SocketChannel ch) throws Exception {
        return Wire.decodeResponse(Wire.readFrame(ch));
    }

    private static Response.Failed assertFailed(ErrorKind kind, Response r) {
        var f = assertInstanceOf(Response.Failed.class, r);
        assertEquals(kind, f.kind(), f.message());
        return f;
    }

}
