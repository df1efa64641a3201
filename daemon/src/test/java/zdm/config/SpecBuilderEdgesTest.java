package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker's environment (the caller's beneath the file's env), the builder that code makes specs with, and
 * the defaults a spec fills in itself.
 * Written against PIT's survivors and uncovered mutants in ProcessSpec, AppSpecBuilder, AppSpec, Readiness,
 * Listen and Liveness.
 */
class SpecBuilderEdgesTest {

    @Test
    void theFilesEnvIsOverTheCallersEnvironment() {
        var spec = AppSpec.builder("web", List.of("/bin/true")).env(Map.of("A", "file"))
                .callerEnv(Map.of("A", "shell", "B", "shell")).build();
        assertEquals(Map.of("A", "file", "B", "shell"), spec.process().fullEnv());
    }

    @Test
    void withoutACallersEnvironmentTheWorkerGetsTheFilesEnv() {
        var spec = AppSpec.builder("web", List.of("/bin/true")).env(Map.of("A", "file")).build();
        assertEquals(Map.of("A", "file"), spec.process().fullEnv());
    }

    @Test
    void theBuilderRenamesAndChangesTheCommand() {
        var spec = AppSpec.builder("web", List.of("/bin/true")).name("api").command(List.of("/bin/sleep", "1")).build();
        assertEquals("api", spec.name());
        assertEquals(List.of("/bin/sleep", "1"), spec.process().command());
    }

    @Test
    void minReadyTimeIsMinUptimeUnlessGiven() {
        var spec = AppSpec.builder("web", List.of("/bin/true")).minUptimeMs(5_000).build();
        assertEquals(5_000L, spec.reload().minReadyMs());
        assertEquals(2_000L, spec.toBuilder().minReadyMs(2_000L).build().reload().minReadyMs());
    }

    @Test
    void theSameCallersEnvironmentKeepsTheSpecAndAnotherOneReplacesIt() {
        var spec = AppSpec.builder("web", List.of("/bin/true")).callerEnv(Map.of("A", "1")).build();
        assertSame(spec, spec.withCallerEnv(Map.of("A", "1")));
        assertEquals(Map.of("B", "2"), spec.withCallerEnv(Map.of("B", "2")).process().callerEnv());
    }

    @Test
    void withInstancesChangesOnlyTheCount() {
        var spec = AppSpec.builder("web", List.of("/bin/true")).instances(2).build();
        assertEquals(spec.toBuilder().instances(5).build(), spec.withInstances(5));
        assertEquals(5, spec.withInstances(5).instances());
    }

    /** A spec made without a listen mode (before listen: existed) is behind the proxy: tcp with a port, else uptime. */
    @Test
    void theDefaultReadinessOfAPortIsTcpAndWithoutOneUptime() {
        assertEquals(new Readiness.Tcp(), Readiness.defaultFor(3000));
        assertEquals(new Readiness.Uptime(), Readiness.defaultFor(null));
    }

    /** Messages that name a mode or a liveness kind show it as the file writes it. */
    @Test
    void listenAndLivenessShowAsWritten() {
        assertEquals("socket proxy auto", Listen.SOCKET + " " + Listen.PROXY + " " + Listen.AUTO);
        assertEquals("watchdog http", Liveness.WATCHDOG + " " + Liveness.HTTP);
    }
}
