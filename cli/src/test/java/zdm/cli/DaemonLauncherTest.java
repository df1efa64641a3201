package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonLauncherTest {
    @TempDir
    Path dir;

    @Test
    void lastLineIgnoresWhatEarlierDaemonsWrote() throws Exception {
        Path log = Files.writeString(dir.resolve("daemon.log"), "old run: all good\n");
        long offset = Files.size(log);
        assertEquals("", DaemonLauncher.lastLine(log, offset));
        Files.writeString(log, "starting\nzdm: cannot open /h/zdm.db: disk full\n\n", StandardOpenOption.APPEND);
        assertEquals("zdm: cannot open /h/zdm.db: disk full", DaemonLauncher.lastLine(log, offset));
        assertEquals("", DaemonLauncher.lastLine(dir.resolve("missing.log"), 0));
    }

    @Test
    void daemonCommandReusesThisJvmAndClasspathInItsOwnSession() {
        List<String> cmd = DaemonLauncher.command(List.of());
        assertTrue(cmd.getFirst().endsWith("setsid"), cmd.toString());
        assertTrue(cmd.get(1).endsWith("java"), cmd.toString());
        assertEquals(List.of("-cp", System.getProperty("java.class.path"), "zdm.cli.Main", "daemon"),
                cmd.subList(cmd.size() - 4, cmd.size()));
    }

    @Test
    void theDaemonsArchiveComesAfterTheFlagsOfLaunchConfWhenItExists() throws Exception {
        Path cache = Files.writeString(dir.resolve("zdm-daemon.aot"), "archive");
        List<String> flags = DaemonLauncher.cacheFlags(cache.toString());
        assertEquals(List.of("-XX:AOTCache=" + cache, "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining"), flags);
        List<String> cmd = DaemonLauncher.command(flags);
        int first = cmd.indexOf(DaemonLauncher.JVM_FLAGS.getFirst());
        assertEquals(DaemonLauncher.JVM_FLAGS, cmd.subList(first, first + DaemonLauncher.JVM_FLAGS.size()));
        int after = first + DaemonLauncher.JVM_FLAGS.size();
        assertEquals(flags, cmd.subList(after, after + flags.size()));
        // Removed by a rebuild since bin/zdm looked, or never named: no flag (the JVM would print an error).
        assertEquals(List.of(), DaemonLauncher.cacheFlags(dir.resolve("gone.aot").toString()));
        assertEquals(List.of(), DaemonLauncher.cacheFlags(null));
        assertEquals(List.of(), DaemonLauncher.cacheFlags(""));
    }
}
