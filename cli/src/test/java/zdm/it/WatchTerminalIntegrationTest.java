package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.test.Await;

/** {@code zdm ls -w} in a real terminal (tmux): redraws in place, fits the width, ends on q and Ctrl-C. */
class WatchTerminalIntegrationTest {
    static ZdmHome z;
    final String session = "zdm-watch-" + UUID.randomUUID().toString().substring(0, 8);

    /** One daemon for both tests: each JVM start costs seconds on a loaded machine. */
    @BeforeAll
    static void startApp() throws Exception {
        z = new ZdmHome();
        z.ecosystem("""
                apps:
                  - name: a-rather-long-app-name
                    command: node -e "setInterval(()=>{},1000)"
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");
    }

    @AfterAll
    static void stopDaemon() {
        z.close();
    }

    @BeforeEach
    void openTerminal() throws Exception {
        // The same JVM and classpath as ZdmHome.zdm, in a terminal 60 columns wide.
        var java = ProcessHandle.current().info().command().orElse("java");
        z.file("watch.sh", "unset NO_COLOR; export ZDM_HOME='" + z.home + "'\n'" + java
                + "' --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path")
                + "' zdm.cli.Main ls -w\necho EXIT=$?\nsleep 60\n");
        // bash, not dash: after a child that handled Ctrl-C itself, bash goes on to print its exit code
        tmux("new-session", "-d", "-s", session, "-x", "60", "-y", "20", "bash " + z.dir.resolve("watch.sh"));
    }

    @AfterEach
    void tearDown() {
        tmux("kill-session", "-t", session);
    }

    @Test
    void redrawsInPlaceAtTheTerminalWidthUntilQ() {
        // The first frame waits for a JVM to start with the whole class path: on a loaded machine that alone
        // took over 20 s once (load 27), so the first wait is longer than the rest.
        Await.until(FIRST_FRAME, () -> screen().contains("a-rather-long-app-name") && screen().contains("(q or Ctrl-C"), () -> "a frame; the screen:\n" + screen());
        String first = screen();
        // The uptime column is dropped at 60 columns, but the footer's clock changes every second.
        Await.until(ZdmHome.SHORT, () -> !screen().equals(first), "a later frame differs:\n" + first);
        String later = screen();
        assertEquals(1, later.lines().filter(l -> l.startsWith("app ")).count(), "one header: redrawn, not scrolled\n" + later);
        for (String line : later.lines().toList()) assertTrue(line.length() <= 60, "fits 60 columns: " + line);
        assertFalse(later.lines().findFirst().orElse("").contains("mode"), "mode is dropped first when narrow\n" + later);
        tmux("send-keys", "-t", session, "q");
        Await.until(ZdmHome.SHORT, () -> screen().contains("EXIT=0"), "q ends the watch with exit 0");
    }

    @Test
    void ctrlCEndsTheWatchToo() {
        Await.until(FIRST_FRAME, () -> screen().contains("(q or Ctrl-C"), () -> "a frame; the screen:\n" + screen());
        tmux("send-keys", "-t", session, "C-c");
        Await.until(ZdmHome.SHORT, () -> screen().contains("EXIT=0"), "Ctrl-C ends the watch with exit 0");
    }

    private static final java.time.Duration FIRST_FRAME = java.time.Duration.ofSeconds(60);

    private String screen() {
        return tmux("capture-pane", "-p", "-t", session);
    }

    private static String tmux(String... args) {
        var cmd = new java.util.ArrayList<>(List.of("tmux"));
        cmd.addAll(List.of(args));
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            return out;
        } catch (IOException e) {
            throw new AssertionError("tmux is needed for this test (bin/test installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
