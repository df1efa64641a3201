package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.test.Await;

/**
 * A daemon asked only {@code ping} and {@code ls} (the commands scripts and people repeat) loads no
 * picocli: it answers them without building a command (zdm.cli.QuickCommands), which keeps picocli and
 * the command classes out of an idle daemon's memory (issue 16). Their output is the full path's
 * (FastPathIntegrationTest); here, the daemon's own class-load log says what it loaded.
 */
@ExtendWith(ZdmHomes.class)
class QuickCommandsIntegrationTest {
    private static final String PICOCLI = " picocli.CommandLine ";

    private static String loaded(Path classes) {
        try {
            return Files.readString(classes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void pingAndLsLoadNoPicocliInTheDaemonWhileAnOptionDoes(ZdmHome z) throws Exception {
        Path classes = z.dir.resolve("daemon-classes.log");
        List<String> command = new ArrayList<>(z.zdmCommand("daemon"));
        command.add(1, "-Xlog:class+load=info:file=" + classes);
        var pb = new ProcessBuilder(command).directory(z.dir.toFile())
                .redirectOutput(z.dir.resolve("daemon.out").toFile()).redirectErrorStream(true);
        pb.environment().putAll(z.zdmEnv());
        Process daemon = pb.start();
        try {
            Await.until(Duration.ofSeconds(60), () -> z.zdm("ping").exitCode() == 0, "the daemon answers ping");
            for (String ls : List.of("ls", "list", "status")) {
                var result = z.zdm(ls);
                assertEquals(0, result.exitCode(), result.toString());
                assertTrue(result.out().contains("no apps yet"), ls + ": " + result);
            }
            assertFalse(loaded(classes).contains(PICOCLI), "the daemon built picocli for ping or ls");

            var json = z.zdm("ls", "--json"); // an option: picocli parses it, as before
            assertEquals(0, json.exitCode(), json.toString());
            Await.until(Duration.ofSeconds(30), () -> loaded(classes).contains(PICOCLI),
                    "picocli in the daemon's class-load log once a command needs it (the log is read right)");
        } finally {
            z.zdm("kill");
            if (!daemon.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) daemon.destroyForcibly();
        }
    }
}
