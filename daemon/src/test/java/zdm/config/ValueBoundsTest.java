package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The edges of each value's range, and that a bad value is one problem and nothing more (the value a
 * reader gives up with must never reach another rule). Written against PIT's survivors in ValueReaders:
 * each case fails under one of its mutants. Values are compared between two spellings of the same
 * setting (a whole number and a unit), so the tests do not depend on how AppSpec groups its fields.
 */
class ValueBoundsTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    /** Lines 4 on are {@code lines}. */
    private AppSpec appWith(String... lines) {
        var all = new ArrayList<>(List.of("apps:", "  - name: web", "    script: app.js"));
        for (var l : lines) all.add("    " + l);
        eco.yaml(all.toArray(String[]::new));
        return eco.app();
    }

    /** Line 4 is {@code line}; {@code context} lines (other keys the value needs to be in place) follow it. */
    private List<String> errorsWith(String line, String... context) {
        var lines = new ArrayList<>(List.of("apps:", "  - name: web", "    script: app.js", "    " + line));
        for (var c : context) lines.add("    " + c);
        eco.yaml(lines.toArray(String[]::new));
        return eco.errors();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "max_memory_restart: 1024      | max_memory_restart: 1K",
            "log_max_size: 1048576         | log_max_size: 1M",
            "kill_timeout: 1500            | kill_timeout: 1.5s",
            "min_uptime: 0                 | min_uptime: 0ms",
    })
    void aWholeNumberMeansTheSameAsItsUnitSpelling(String number, String withUnit) {
        assertEquals(appWith(withUnit), appWith(number));
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        assertEquals(NumberReaders.MAX_INSTANCES, appWith("instances: " + NumberReaders.MAX_INSTANCES).instances());
        assertNotEquals(appWith("port: 65534"), appWith("port: 65535"));
        assertNotEquals(appWith("max_restarts: 1"), appWith("max_restarts: 0"));
        assertNotEquals(appWith("max_restarts: 0"), appWith("max_restarts: " + Integer.MAX_VALUE));
        assertNotEquals(appWith("port: 3000", "listen: socket", "socket_fd: 0"),
                appWith("port: 3000", "listen: socket", "socket_fd: 3"));
    }

    /** A boolean written as a string (as a .json file or a quoted YAML value may have it) is that boolean. */
    @Test
    void aQuotedBooleanIsTheBoolean() {
        assertEquals(appWith("autorestart: false"), appWith("autorestart: \"false\""));
        assertEquals(appWith("autostart: false"), appWith("autostart: \"false\""));
        assertEquals(appWith("autorestart: true"), appWith("autorestart: \"true\""));
        assertNotEquals(appWith("autorestart: false"), appWith("autorestart: \"true\""));
    }

    /** One more than the largest value a field can hold: refused with the reader's own message, never wrapped. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "instances: 4294967295 | apps[0].instances: at most 1024 workers, got 4294967295",
            "instances: 1025 | apps[0].instances: at most 1024 workers, got 1025",
            "port: 0 | apps[0].port: expected a port number from 1 to 65535, got 0",
            "port: 65536 | apps[0].port: expected a port number from 1 to 65535, got 65536",
            "max_restarts: 2147483648 | apps[0].max_restarts: expected an integer from 0 to 2147483647, got 2147483648",
            "reload_parallel: 2147483648 | apps[0].reload_parallel: expected an integer from 1 to 2147483647, got 2147483648",
            "kill_timeout: 9223372036854775807 | apps[0].kill_timeout: expected " + Durations.ACCEPTED + ", got 9223372036854775807",
            "max_memory_restart: 9223372036854775807 | apps[0].max_memory_restart: expected " + Sizes.ACCEPTED
                    + ", got 9223372036854775807",
    })
    void oneMoreThanTheRangeIsRefused(String line, String error) {
        assertEquals(List.of("eco:4:" + (line.indexOf(':') + 7) + ": " + error), errorsWith(line));
    }

    /** 259 and 256 are 3 and 0 in their lowest byte: still refused. */
    @ParameterizedTest
    @CsvSource({"259", "256", "4294967299"})
    void aSocketFdIsThreeOrZeroNotJustInItsLowBits(String fd) {
        var errors = errorsWith("socket_fd: " + fd, "port: 3000", "listen: socket");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(true, errors.getFirst().startsWith("eco:4:16: apps[0].socket_fd: expected 3 (LISTEN_FDS"), errors.toString());
    }

    @Test
    void aNulAtTheVeryStartIsRefusedToo() {
        var errors = errorsWith("env: {GREETING: \"\\0hi\"}");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(true, errors.getFirst().contains("apps[0].env.GREETING: contains a NUL character"), errors.toString());
    }

    /**
     * Two apps with the same bad name or port: each is one problem. A reader that gave up with "" or 0 instead of
     * nothing would make the two apps collide, and add "duplicate app name" or "port 0 is already used".
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "name: all | port: 3000 | port: 3001",
            "name: [a] | port: 3000 | port: 3001",
            "name: web | port: 0    | port: 0",
            "name: web | port: http | port: http",
    })
    void twoAppsWithTheSameBadValueAreTwoProblemsNotACollision(String name, String port0, String port1) {
        String second = name.equals("name: web") ? "name: api" : name;
        eco.yaml("apps:",
                "  - " + name, "    script: app.js", "    " + port0,
                "  - " + second, "    script: app.js", "    " + port1);
        var errors = eco.errors();
        assertEquals(2, errors.size(), errors.toString());
    }

    /**
     * Any bad value is exactly one problem: what a reader returns on failure is never seen by another rule. The
     * keys that only apply with a port or in socket mode get one, so that their placement is not a second problem.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "instances: 0            |            |",
            "instances: two          |            |",
            "instances: 1025         |            |",
            "port: 0                 |            |",
            "max_restarts: -1        |            |",
            "reload_parallel: 0      |            |",
            "autorestart: nah        |            |",
            "shell: 2                |            |",
            "env: [A]                |            |",
            "protocol: htp           |            |",
            "liveness: pong          |            |",
            "listen: sokcet          |            |",
            "kill_timeout: soon      |            |",
            "max_memory_restart: big |            |",
            "stop_signal: SIGTREM    |            |",
            "stop_signal: SIGKILL    |            |",
            "log_max_files: -2       |            |",
            "shell: nah              |            |",
            "stop_signal: [a]        |            |",
            "args: {a: b}            |            |",
            "max_connections: 0      | port: 3000 |",
            "max_head_size: big      | port: 3000 |",
            "socket_fd: 4            | port: 3000 | listen: socket",
    })
    void aBadValueIsOneProblem(String line, String context1, String context2) {
        var context = Stream.of(context1, context2).filter(Objects::nonNull).toArray(String[]::new);
        var errors = errorsWith(line, context);
        assertEquals(1, errors.size(), errors.toString());
    }
}
