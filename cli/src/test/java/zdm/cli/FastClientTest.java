package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.client.Home;
import zdm.it.ClientJar;
import zdm.protocol.Paths;
import zdm.protocol.Response;

/**
 * The fast client as bin/zdm runs it: zdm.client.FastMain with the package zdm.client alone on its
 * class path (ClientJar, as cli/pom.xml makes zdm-client.jar), against a scripted daemon. The package
 * needs nothing but the JDK; a command the daemon hands back runs bin/zdm again, marked for the full
 * path; its home is the full CLI's.
 */
class FastClientTest {
    @TempDir
    Path dir;

    private Paths paths() {
        return new Paths(dir.resolve("h"));
    }

    private record Run(int code, String out, String err) {}

    private Run client(Map<String, String> env, String... args) throws Exception {
        return client(env, List.of(), args);
    }

    private Run client(Map<String, String> env, List<String> jvmFlags, String... args) throws Exception {
        return run(ClientJar.command(jvmFlags, args), env);
    }

    private Run run(List<String> command, Map<String, String> env) throws Exception {
        var pb = new ProcessBuilder(command);
        pb.environment().put("ZDM_HOME", paths().home().toString());
        pb.environment().remove("ZDM_LAUNCHER");
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the fast client did not end");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** What bin/zdm is told when the fast client hands a command over: a script that shows it. */
    private Path launcher() throws IOException {
        Path script = dir.resolve("launcher.sh");
        Files.writeString(script, "#!/bin/sh\necho \"full path: ZDM_FULL_PATH=$ZDM_FULL_PATH $*\"\nexit 7\n");
        script.toFile().setExecutable(true);
        return script;
    }

    /**
     * Every class of zdm.client (what zdm-client.jar holds) refers only to the JDK's exported packages
     * and to its own package; ThreadProviders alone to sun.security.jca, which launch.conf exports to it.
     */
    @Test
    void thePackageNeedsNothingButTheJdk() throws Exception {
        Path classes = Path.of(zdm.client.FastMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        var foreign = new ArrayList<String>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(classes.resolve("zdm/client"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                checked++;
                for (var entry : ClassFile.of().parse(f).constantPool()) {
                    if (!(entry instanceof ClassEntry c)) continue;
                    String name = c.asInternalName().replaceFirst("^\\[+L?", "");
                    boolean jdkInternal = name.startsWith("sun/security/jca/") && f.getFileName().toString().startsWith("ThreadProviders");
                    if (name.length() > 1 && !name.startsWith("java/") && !name.startsWith("jdk/") && !name.startsWith("zdm/client/") && !jdkInternal) {
                        foreign.add(f.getFileName() + " -> " + name);
                    }
                }
            }
        }
        assertTrue(checked > 10, checked + " classes");
        assertEquals(List.of(), foreign);
    }

    @Test
    void theJarAloneHasTheDaemonRunACommand() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Output("web  online\n", false),
                new Response.Output("zdm: careful\n", true), new Response.Exit(3)))) {
            assertEquals(new Run(3, "web  online\n", "zdm: careful\n"), client(Map.of(), "describe", "web"));
            assertEquals(1, daemon.requests.size());
        }
        // A help page off a terminal needs no daemon.
        Run help = client(Map.of(), "help", "start");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("Start an ecosystem file"), help.out());
    }

    /** The daemon's RunHere (after its notice), an older daemon, or none: bin/zdm again, marked for the full path. */
    @Test
    void whatTheDaemonDoesNotRunGoesBackToTheLauncherMarked() throws Exception {
        var launcher = Map.of("ZDM_LAUNCHER", launcher().toString());
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(new Response.RunHere("of another build")))) {
            assertEquals(new Run(7, "full path: ZDM_FULL_PATH=1 ls -w\n", "zdm: of another build\n"), client(launcher, "ls", "-w"));
        }
        assertEquals(new Run(7, "full path: ZDM_FULL_PATH=1 ls\n", ""), client(launcher, "ls")); // no daemon
        Run lost = client(Map.of(), "ls");
        assertEquals(1, lost.code());
        assertTrue(lost.err().contains("ZDM_LAUNCHER"), lost.err());
    }

    /** With launch.conf's client flags, the client's socket does not load the JDK's SUN provider (~12 ms of CPU); without, it does. */
    @Test
    void theSocketOpensWithoutTheJdksSecurityProviders() throws Exception {
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(new Response.Output("pong\n", false), new Response.Exit(0)))) {
            Path loaded = dir.resolve("classes.log");
            assertEquals(new Run(0, "pong\n", ""), client(Map.of(), List.of("-Xlog:class+load=info:file=" + loaded), "ping"));
            String classes = Files.readString(loaded);
            assertTrue(classes.contains(" sun.nio.ch.UnixDomainSockets "), "no Unix socket opened?");
            assertFalse(classes.contains(" sun.security.provider.Sun "), "the SUN provider was loaded");
            // The JDK's own way, for comparison: the measure is needed.
            var withoutExport = new java.util.ArrayList<>(ClientJar.command(List.of("-Xlog:class+load=info:file=" + loaded), "ping"));
            assertTrue(withoutExport.removeIf(flag -> flag.startsWith("--add-exports")));
            assertEquals(new Run(0, "pong\n", ""), run(withoutExport, Map.of()));
            assertTrue(Files.readString(loaded).contains(" sun.security.provider.Sun "));
        }
    }

    @Test
    void itsHomeIsTheFullClisHome() {
        assertEquals(Paths.fromEnvironment().home(), Home.fromEnvironment().dir());
        var home = new Home(Path.of("/srv/zdm"));
        var paths = new Paths(home.dir());
        assertEquals(List.of(paths.socket(), paths.daemonLog(), paths.stateLost()), List.of(home.socket(), home.daemonLog(), home.stateLost()));
    }
}
