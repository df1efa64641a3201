package zdm.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final Spawned spawned = new Spawned();

    @AfterEach
    void cleanUp() {
        spawned.close();
    }

    @Test
    void runsInPlaceAsLeaderOfItsOwnSessionAndGroup() throws Exception {
        WorkerProcess w = spawned.sh("echo $$; exec sleep 1000");
        String childPid = spawned.firstOut(WAIT);

        assertEquals(Long.toString(w.pid()), childPid, "setsid must exec in place: the JVM's child is the worker");
        assertEquals(w.pid(), Posix.getpgid(w.pid()), "pgid == pid");
        assertEquals(w.pid(), ProcStat.read(w.pid()).orElseThrow().session(), "session id == pid");
        assertEquals(w.identity(), ProcessIdentity.of(w.pid()).orElseThrow());
    }

    @Test
    void honoursCwdAndExtraEnvAndKeepsTheDaemonsEnv(@TempDir Path dir) throws Exception {
        var spec = new SpawnSpec("web", 3, List.of("sh", "-c", "pwd; echo \"$ZDM_EXTRA\"; echo \"$PATH\"; echo oops >&2"),
                dir, Map.of("ZDM_EXTRA", "x y"));
        WorkerProcess w = spawned.spawn(spec);
        assertEquals(new ExitStatus(0, null), w.onExit().get(5, TimeUnit.SECONDS));
        w.pumpsDone().get(5, TimeUnit.SECONDS);

        var out = spawned.lines.stream().filter(l -> !l.err()).map(Spawned.Line::text).toList();
        var err = spawned.lines.stream().filter(Spawned.Line::err).map(Spawned.Line::text).toList();
        assertEquals(List.of(dir.toRealPath().toString(), "x y", System.getenv("PATH")), out);
        assertEquals(List.of("oops"), err);
        assertTrue(spawned.lines.stream().allMatch(l -> l.app().equals("web") && l.worker() == 3));
    }

    @Test
    void reportsExitCodeAndDeathBySignal() throws Exception {
        assertEquals("code 3", spawned.sh("exit 3").onExit().get(5, TimeUnit.SECONDS).describe());
        ExitStatus killed = spawned.sh("kill -9 $$").onExit().get(5, TimeUnit.SECONDS);
        assertEquals(new ExitStatus(null, Signal.SIGKILL), killed);
        assertEquals("signal SIGKILL", killed.describe());
    }

    @Test
    void stdinIsDevNull() throws Exception {
        // cat would block forever on a pipe nobody writes to
        assertEquals(new ExitStatus(0, null), spawned.spawn(new SpawnSpec("t", 0, List.of("cat"), null, Map.of()))
                .onExit().get(5, TimeUnit.SECONDS));
    }

    @Test
    void pumpsEndAfterExitAndDeliverTheLastLineWithoutNewline() throws Exception {
        WorkerProcess w = spawned.sh("printf 'a\\r\\nb'");
        w.onExit().get(5, TimeUnit.SECONDS);
        w.pumpsDone().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("a", "b"), spawned.lines.stream().map(Spawned.Line::text).toList());
    }

    @Test
    void onExitDoesNotWaitForGrandchildrenHoldingThePipes(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        WorkerProcess w = spawned.sh("sleep 1000 & echo $! > '" + pidFile + "'; echo started");
        assertEquals(new ExitStatus(0, null), w.onExit().get(5, TimeUnit.SECONDS));
        // The premise, checked by pid: the JDK may close its end of the pipes once the child is reaped,
        // so whether the pumps are done says nothing about the grandchild.
        long grandchild = Long.parseLong(Files.readString(pidFile).trim());
        try {
            assertTrue(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false),
                    "the grandchild that holds stdout is still running");
        } finally {
            Posix.kill(grandchild, Signal.SIGKILL);
        }
    }

    @Test
    void missingProgramIsAOneLineErrorNamingTheKey() {
        var e = assertThrows(IOException.class, () -> WorkerProcess.spawn(
                new SpawnSpec("web", 0, List.of("nodee-does-not-exist", "x"), null, Map.of()), spawned.sink));
        assertEquals("cannot run 'nodee-does-not-exist': not found on PATH (apps[web].command)", e.getMessage());
    }

    @Test
    void nonExecutableFileAndMissingCwdAreOneLineErrors(@TempDir Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        var notExec = assertThrows(IOException.class, () -> WorkerProcess.spawn(
                new SpawnSpec("web", 0, List.of("./run.sh"), dir, Map.of()), spawned.sink));
        assertEquals("cannot run './run.sh': " + script + " is not executable; chmod +x it (apps[web].command)",
                notExec.getMessage());

        var noCwd = assertThrows(IOException.class, () -> WorkerProcess.spawn(
                new SpawnSpec("web", 0, List.of("sh"), dir.resolve("nope"), Map.of()), spawned.sink));
        assertEquals("cannot run 'sh': working directory " + dir.resolve("nope") + " does not exist (apps[web].cwd)",
                noCwd.getMessage());
        var empty = assertThrows(IOException.class, () -> WorkerProcess.spawn(
                new SpawnSpec("web", 0, List.of(), null, Map.of()), spawned.sink));
        assertFalse(empty.getMessage().contains("\n"));
    }

    @Test
    void relativeProgramResolvesAgainstCwdAndPathFromExtraEnv(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path script = Files.writeString(bin.resolve("hello"), "#!/bin/sh\necho hello \"$1\"\n");
        assertTrue(script.toFile().setExecutable(true));
        var viaPath = spawned.spawn(new SpawnSpec("t", 0, List.of("hello", "path"), null,
                Map.of("PATH", bin + ":/usr/bin:/bin")));
        viaPath.onExit().get(5, TimeUnit.SECONDS);
        viaPath.pumpsDone().get(5, TimeUnit.SECONDS);
        var viaCwd = spawned.spawn(new SpawnSpec("t", 0, List.of("bin/hello", "cwd"), dir, Map.of()));
        viaCwd.onExit().get(5, TimeUnit.SECONDS);
        viaCwd.pumpsDone().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("hello path", "hello cwd"), spawned.lines.stream().map(Spawned.Line::text).toList());
    }

    @Test
    void exitValuesAbove128NamingNoSignalStayCodes() {
        assertEquals(new ExitStatus(200, null), ExitStatus.fromExitValue(200));
        assertEquals(new ExitStatus(null, Signal.SIGTERM), ExitStatus.fromExitValue(143));
        assertEquals(new ExitStatus(128, null), ExitStatus.fromExitValue(128));
        assertThrows(IllegalArgumentException.class, () -> new ExitStatus(1, Signal.SIGTERM));
    }
}
