package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.protocol.Paths;

/** zdm export works from the file alone: it never starts or asks a daemon. */
class ExportCommandTest {
    @TempDir
    Path dir;
    Path eco;
    final CliRun.CountingStarter starter = new CliRun.CountingStarter();

    @BeforeEach
    void setUp() throws Exception {
        eco = Files.writeString(dir.resolve("eco.yaml"), """
                apps:
                  - name: web
                    command: sleep 100
                    port: 3000
                  - name: jobs
                    command: sleep 100
                """);
    }

    private CliRun run(String... args) {
        String old = System.getProperty("user.dir");
        System.setProperty("user.dir", dir.toString()); // export resolves its paths like the other commands
        try {
            return CliRun.run(new CliContext(new Paths(dir.resolve("home")), starter), args);
        } finally {
            System.setProperty("user.dir", old);
            assertEquals(0, starter.calls.get(), "no daemon");
        }
    }

    @Test
    void toStdoutAndToADirectory() throws Exception {
        var r = run("export", "k8s", eco.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, r.out().split("(?m)^---$").length - 1, "Deployment + Service for web, Deployment for jobs: " + r.out());

        r = run("export", "kubernetes", eco.toString(), "-o", "out", "--image", "img:1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(dir.resolve("out/web.yaml")).contains("image: img:1"));
        assertTrue(Files.exists(dir.resolve("out/jobs.yaml")));

        r = run("export", "systemd", "eco.yaml", "-o", "units");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(dir.resolve("units/zdm-web@.service")).contains("ExecStart=\"sleep\" \"100\""));
        assertTrue(Files.exists(dir.resolve("units/zdm-jobs@.service")));
    }

    @Test
    void envPicksTheEnvBlock() throws Exception {
        Files.writeString(eco, """
                apps:
                  - name: web
                    command: sleep 100
                    env: {MODE: dev}
                    env_production: {MODE: prod}
                """);
        var plain = run("export", "systemd", "eco.yaml");
        assertTrue(plain.out().contains("Environment=\"MODE=dev\""), plain.out());
        var production = run("export", "systemd", "eco.yaml", "--env", "production");
        assertEquals(0, production.exitCode(), production.err());
        assertTrue(production.out().contains("Environment=\"MODE=prod\"") && !production.out().contains("MODE=dev"), production.out());
    }

    @Test
    void mistakesAreUsageErrors() throws Exception {
        var r = run("export", "docker", eco.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("zdm: unknown format 'docker'; use kubernetes (k8s) or systemd"), r.err());

        r = run("export", "systemd", eco.toString(), "--image", "x");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--image applies to kubernetes only"), r.err());

        r = run("export", "k8s", "missing.yaml");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("ecosystem file " + dir.resolve("missing.yaml") + " does not exist"), r.err());

        Files.writeString(eco, "apps:\n  - name: web\n    command: sleep 1\n    instances: two\n");
        r = run("export", "k8s", eco.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains(":4:16: apps[0].instances: expected a positive integer or \"max\", got \"two\""), r.err());
        assertEquals("", r.out());
    }
}
