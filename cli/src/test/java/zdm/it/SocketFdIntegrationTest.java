package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;

/** socket_fd: 0: the shared socket is the worker's stdin, so Java's System.inheritedChannel() returns it. */
@ExtendWith(ZdmHomes.class)
class SocketFdIntegrationTest {
    ZdmHome z;
    int port;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        port = FreePorts.reserve();
        z.testApp("InheritedChannel.java");
    }

    @Test
    void aJvmFindsTheSharedSocketAsItsInheritedChannel() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        z.ecosystem("""
                apps:
                  - name: jv
                    command: ['%s', InheritedChannel.java]
                    instances: 2
                    port: %d
                    listen: socket
                    socket_fd: 0
                    ready: {log: "listening on"}
                    listen_timeout: 60s
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(java, port));
        z.ok("start", "ecosystem.yaml");
        var pids = z.pids("jv");
        assertEquals(2, pids.size(), z.apps().toString());
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i < 40 && seen.size() < 2; i++) {
            var reply = Http.get(port, "/");
            assertEquals(200, reply.status(), reply.toString());
            seen.add(reply.body().trim());
        }
        assertTrue(seen.stream().allMatch(s -> s.startsWith("java pid ")), seen.toString());
        var out = Files.readString(z.home.resolve("logs").resolve("jv.out.log"));
        assertTrue(out.contains("listening on /[0:0:0:0:0:0:0:0]:" + port) || out.contains(":" + port), out);
        assertTrue(!out.contains("with LISTEN_FDS"), "no LISTEN_* announces a fd 3 that is not there: " + out);
    }
}
