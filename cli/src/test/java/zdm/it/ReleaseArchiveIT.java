package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.cli.Version;
import zdm.test.Await;

/**
 * The release archive that 'mvn package' builds, unpacked into an empty directory and used through
 * its bin/zdm exactly as a user would: no Maven, no source tree. Runs after 'package' (failsafe).
 */
class ReleaseArchiveIT {
    ZdmHome z;
    Path unpacked;

    @BeforeEach
    void setUp() throws Exception {
        z = new ZdmHome();
        Path archive = Path.of("target", "zdm-" + Version.VERSION + ".tar.gz").toAbsolutePath();
        assertTrue(Files.isRegularFile(archive), "mvn package made " + archive);
        Path into = z.dir.resolve("opt");
        Files.createDirectories(into);
        var tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", into.toString()).inheritIO().start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, tar.exitValue(), "tar");
        unpacked = into.resolve("zdm-" + Version.VERSION);
    }

    @AfterEach
    void tearDown() {
        z.close();
    }

    private CliResult zdm(String... args) throws Exception {
        return zdm(java.util.Map.of(), args);
    }

    private CliResult zdm(java.util.Map<String, String> env, String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>();
        cmd.add(unpacked.resolve("bin/zdm").toString());
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(z.dir.toFile());
        pb.environment().put("ZDM_HOME", z.home.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putAll(env);
        var out = z.dir.resolve("rel-" + UUID.randomUUID() + ".out");
        var err = z.dir.resolve("rel-" + UUID.randomUUID() + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        var p = pb.start();
        // The first command after unpacking also trains the start-up caches and the daemon's archive.
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "zdm " + String.join(" ", args) + " finished");
        return new CliResult(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** lib/aot's files, and what a failed training logged. */
    private String aotFiles() throws IOException {
        var text = new StringBuilder();
        try (var files = Files.list(unpacked.resolve("lib/aot"))) {
            for (Path f : files.sorted().toList()) {
                text.append(f.getFileName()).append('\n');
                if (f.toString().endsWith(".failed")) text.append(Files.readString(f)).append('\n');
            }
        } catch (java.nio.file.NoSuchFileException e) {
            text.append("no lib/aot");
        }
        return text.toString();
    }

    /** Every jar the archive ships is named in licenses/THIRD-PARTY.md, whose licence texts ship too. */
    @Test
    void everyShippedLibraryHasItsLicence() throws Exception {
        assertTrue(Files.readString(unpacked.resolve("LICENSE")).contains("Apache License"), "LICENSE");
        String table = Files.readString(unpacked.resolve("licenses/THIRD-PARTY.md"));
        try (var jars = Files.list(unpacked.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                String name = jar.getFileName().toString();
                if (name.startsWith("zdm-daemon-")) continue; // ours, under LICENSE
                String artifact = name.replaceFirst("-[0-9][^-]*\\.jar$", "").replaceFirst("\\.jar$", "");
                String prefix = artifact.contains("-") ? artifact.substring(0, artifact.indexOf('-')) : artifact;
                assertTrue(table.contains("`lib/" + artifact) || table.contains("`lib/" + prefix + "-"),
                        name + " is shipped but licenses/THIRD-PARTY.md has no row for it");
            }
        }
        var texts = java.util.regex.Pattern.compile("`(licenses/[^`]+)`").matcher(table);
        int found = 0;
        while (texts.find()) {
            found++;
            assertTrue(Files.isRegularFile(unpacked.resolve(texts.group(1))), texts.group(1) + " is named but not shipped");
        }
        assertTrue(found >= 4, "licence texts named: " + found);
    }

    @Test
    void theUnpackedArchiveRunsAppsWithoutMavenOrSources() throws Exception {
        assertTrue(Files.isExecutable(unpacked.resolve("bin/zdm")));
        assertTrue(Files.isRegularFile(unpacked.resolve("lib/zdm-cli.jar")));
        assertFalse(Files.exists(unpacked.resolve("pom.xml")), "no sources in a release");
        z.ecosystem("""
                apps:
                  - name: sample
                    command: sleep 1000
                    instances: 2
                    min_uptime: 300ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);

        var version = zdm("version");
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().startsWith("zdm " + Version.VERSION), version.toString());
        assertFalse(version.err().contains("building"), "a release never builds: " + version);

        var start = zdm("start", "ecosystem.yaml");
        assertEquals(0, start.exitCode(), start + "\n" + z.daemonLog());
        assertTrue(start.out().contains("started sample"), start.toString());
        assertEquals(2, z.taggedProcesses().size(), "two workers run");
        var daemon = z.daemonPid().orElseThrow();
        var cmdline = Files.readString(Path.of("/proc/" + daemon + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains(unpacked.resolve("lib").toString()), "the daemon runs from the archive's lib/: " + cmdline);
        // The first command trained the daemon's class archive, and the JVM took it (it maps a file it accepted).
        Path archive = unpacked.resolve("lib/aot/zdm-daemon.aot");
        assertTrue(cmdline.contains("-XX:AOTCache=" + archive), cmdline + "\n" + aotFiles());
        assertTrue(Files.readString(Path.of("/proc/" + daemon + "/maps")).contains(archive.toString()),
                "the daemon mapped " + archive + "\n" + z.daemonLog());

        var kill = zdm("kill");
        assertEquals(0, kill.exitCode(), kill.toString());
        assertTrue(kill.out().contains("daemon stopped"), kill.toString());
        Await.until(ZdmHome.SHORT, () -> z.taggedProcesses().isEmpty(), "no worker left");
    }

    @Test
    void startupPointsTheUnitAtTheUnpackedLauncher() throws IOException, Exception {
        // Without the start-up caches: their training (~half a minute) is covered by the test above.
        var r = zdm(java.util.Map.of("ZDM_AOT", "0"), "startup", "--user", "--print");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("ExecStart=\"" + unpacked.resolve("bin/zdm") + "\" daemon"), r.toString());
    }
}
