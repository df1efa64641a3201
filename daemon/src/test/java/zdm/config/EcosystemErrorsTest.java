package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid apps: the exact message and position of every rule. "eco" is the file, $DIR its directory. */
class EcosystemErrorsTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    /** One app "web" running app.js, plus the given lines (line 4 onwards). */
    private List<String> errorsWith(String... extraLines) {
        var lines = new java.util.ArrayList<>(List.of("apps:", "  - name: web", "    script: app.js"));
        lines.addAll(List.of(extraLines));
        eco.yaml(lines.toArray(String[]::new));
        return eco.errors();
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() {
        eco.yaml("apps:",
                "  - name: web",
                "    script: app.js",
                "    port: 3000",
                "  - name: api",
                "    script: app.js",
                "    instances: two",
                "    port: 3000",
                "    instanses: 3",
                "  - name: web",
                "    script: missing.js",
                "    kill_timeout: soon");
        assertEquals(List.of(
                "eco:7:16: apps[1].instances: expected a positive integer or \"max\", got \"two\"",
                "eco:8:11: apps[1].port: port 3000 is already used by apps[0] (web)",
                "eco:9:5: apps[1].instanses: unknown key; did you mean \"instances\"?",
                "eco:10:11: apps[2].name: duplicate app name \"web\" (also apps[0])",
                "eco:11:13: apps[2].script: file not found: $DIR/missing.js (relative to cwd $DIR)",
                "eco:12:19: apps[2].kill_timeout: expected a duration like 250ms, 1.5s, 2m or 1h, or a whole number"
                        + " of milliseconds, got \"soon\""), eco.errors());
    }

    /** A NUL can never reach a spawned program: refused in the file, not discovered at spawn time. */
    @Test
    void aNulCharacterInAnyStringIsRefusedWithItsPosition() {
        eco.yaml("apps:",
                "  - name: web",
                "    script: \"app.js\\0x\"",
                "  - name: api",
                "    command: [\"/bin/echo\", \"a\\0b\"]",
                "    env: {GREETING: \"hi\\0\"}");
        String nul = " contains a NUL character (\\0), which no program argument, environment value or path can hold;"
                + " remove it";
        assertEquals(List.of(
                "eco:3:13: apps[0].script:" + nul,
                "eco:5:28: apps[1].command[1]:" + nul,
                "eco:6:21: apps[1].env.GREETING:" + nul), eco.errors());
    }

    @Test
    void unknownKeys() {
        assertEquals(List.of(
                "eco:4:5: apps[0].autoRestart: unknown key; did you mean \"autorestart\"?",
                "eco:5:5: apps[0].kill-timeout: unknown key; did you mean \"kill_timeout\"?",
                "eco:6:5: apps[0].frobnicate: unknown key",
                "eco:7:5: apps[0].exec_mode: unknown key; pm2's exec_mode is not in zdm: every worker is its own"
                        + " process (like pm2's cluster mode, for any language); remove it"),
                errorsWith("    autoRestart: true", "    kill-timeout: 1s", "    frobnicate: 1", "    exec_mode: cluster"));
    }

    @Test
    void unknownTopLevelKey() {
        eco.yaml("aps:", "  - name: web", "version: 2");
        assertEquals(List.of(
                "eco:1:1: aps: unknown key; did you mean \"apps\"? (app settings go under apps:)",
                "eco:1:1: apps: missing; the file needs an apps: list with at least one app",
                "eco:3:1: version: unknown key (app settings go under apps:)"), eco.errors());
    }

    @Test
    void appsMustBeANonEmptyListOfMappings() {
        eco.yaml("apps: []");
        assertEquals(List.of("eco:1:7: apps: expected a non-empty list of apps, got a list"), eco.errors());
        eco.yaml("apps:", "  - web");
        assertEquals(List.of("eco:2:5: apps[0]: expected a mapping of app keys (name:, script:, ...), got \"web\""),
                eco.errors());
        eco.yaml("- name: web");
        assertEquals(List.of("eco:1:1: expected a mapping with an apps: list at the top level, got a list"),
                eco.errors());
    }

    @Test
    void nameIsRequiredAndRestricted() {
        eco.yaml("apps:",
                "  - script: app.js",
                "  - name: ../../x",
                "    script: app.js",
                "  - name: all",
                "    script: app.js",
                "  - name: .hidden",
                "    script: app.js",
                "  - name: [a]",
                "    script: app.js");
        assertEquals(List.of(
                "eco:2:5: apps[0].name: missing; every app needs a name",
                "eco:3:11: apps[1].name: invalid app name \"../../x\": use 1 to 64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit",
                "eco:5:11: apps[2].name: \"all\" is reserved (zdm commands use it to mean every app); choose another name",
                "eco:7:11: apps[3].name: invalid app name \".hidden\": use 1 to 64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit",
                "eco:9:11: apps[4].name: expected a string, got a list"), eco.errors());
    }

    @Test
    void nameLongerThan64IsRejected() {
        eco.yaml("apps:", "  - name: " + "a".repeat(65), "    script: app.js");
        assertEquals(List.of("eco:2:11: apps[0].name: invalid app name \"" + "a".repeat(65)
                + "\": use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"), eco.errors());
    }

    @Test
    void scriptOrCommandExactlyOne() {
        eco.yaml("apps:",
                "  - name: a",
                "  - name: b",
                "    script: app.js",
                "    command: node app.js");
        assertEquals(List.of(
                "eco:2:5: apps[0].script: missing; every app needs script: (a file to run) or command: (a program"
                        + " and its arguments)",
                "eco:5:14: apps[1].command: use either script: or command:, not both"), eco.errors());
    }

    @Test
    void scriptMustBeAnExistingFile() {
        eco.mkdir("dir");
        eco.yaml("apps:",
                "  - name: a",
                "    script: nope/app.js",
                "  - name: b",
                "    script: dir",
                "  - name: c",
                "    script: /nonexistent/x.js");
        assertEquals(List.of(
                "eco:3:13: apps[0].script: file not found: $DIR/nope/app.js (relative to cwd $DIR)",
                "eco:5:13: apps[1].script: is a directory without package.json or index.js (node, which runs a directory"
                        + " as in pm2, would find nothing to start): $DIR/dir",
                "eco:7:13: apps[2].script: file not found: /nonexistent/x.js"), eco.errors());
    }

    @Test
    void scriptWithUnknownExtensionMustBeExecutable() {
        eco.script("server.bin");
        eco.yaml("apps:", "  - name: a", "    script: server.bin");
        assertEquals(List.of("eco:3:13: apps[0].script: $DIR/server.bin is not executable and zdm knows no"
                + " interpreter for its extension; set interpreter: (for example interpreter: bash) or make it"
                + " executable (chmod +x)"), eco.errors());
    }

    @Test
    void interpreterArgsNeedAnInterpreter() {
        eco.executable("server");
        eco.yaml("apps:", "  - name: a", "    script: server", "    interpreter_args: -x");
        assertEquals(List.of("eco:4:23: apps[0].interpreter_args: the script runs without an interpreter, so there"
                + " is nothing to pass these to; set interpreter:"), eco.errors());
    }

    @Test
    void interpreterArgsAndNodeArgsTogether() {
        assertEquals(List.of("eco:5:16: apps[0].node_args: use interpreter_args or node_args (pm2's older name),"
                + " not both"), errorsWith("    interpreter_args: -a", "    node_args: -b"));
    }

    @Test
    void cwdMustBeAnExistingDirectory() {
        eco.yaml("apps:",
                "  - name: a",
                "    script: app.js",
                "    cwd: gone",
                "  - name: b",
                "    script: app.js",
                "    cwd: app.js");
        assertEquals(List.of(
                "eco:4:10: apps[0].cwd: directory not found: $DIR/gone (relative to $DIR)",
                "eco:7:10: apps[1].cwd: not a directory: $DIR/app.js"), eco.errors());
    }

    @Test
    void shellRules() {
        eco.yaml("apps:",
                "  - name: a",
                "    command: [node, app.js]",
                "    shell: true",
                "  - name: b",
                "    script: app.js",
                "    shell: true",
                "  - name: c",
                "    command: node app.js",
                "    shell: true",
                "    args: [x]",
                "  - name: d",
                "    command: node app.js",
                "    shell: maybe");
        assertEquals(List.of(
                "eco:4:12: apps[0].shell: shell: true needs command: as a string; a list is already split into arguments",
                "eco:7:12: apps[1].shell: only valid with command: (a string to run with /bin/sh -c)",
                "eco:11:11: apps[2].args: cannot be combined with shell: true; write the arguments in the command string",
                "eco:14:12: apps[3].shell: expected true or false, got \"maybe\""), eco.errors());
    }

    @Test
    void commandProblems() {
        eco.yaml("apps:",
                "  - name: a",
                "    command: node 'app.js",
                "    interpreter: node",
                "  - name: b",
                "    command: []",
                "  - name: c",
                "    command: [node, {x: 1}]",
                "    args: 'a \"b'",
                "  - name: d",
                "    command: ''");
        assertEquals(List.of(
                "eco:3:14: apps[0].command: unterminated single quote at character 6",
                "eco:4:18: apps[0].interpreter: only valid with script:; with command:, write the program and its"
                        + " options in the command",
                "eco:6:14: apps[1].command: must not be empty",
                "eco:8:21: apps[2].command[1]: expected a string, got a mapping",
                "eco:9:11: apps[2].args: unterminated double quote at character 3",
                "eco:11:14: apps[3].command: must not be empty"), eco.errors());
    }

    @ParameterizedTest(name = "instances: {0}")
    @CsvSource(delimiter = '|', value = {
            "two    | expected a positive integer or \"max\", got \"two\"",
            "0      | 0 workers is not allowed; use a positive integer, or \"max\" (or -1) for one per CPU",
            "-2     | expected a positive integer or \"max\", got -2",
            "1.5    | expected a positive integer or \"max\", got 1.5",
            "2000   | at most 1024 workers, got 2000",
            "MAX    | expected a positive integer or \"max\", got \"MAX\""})
    void badInstances(String value, String message) {
        assertEquals(List.of("eco:4:16: apps[0].instances: " + message), errorsWith("    instances: " + value));
    }

    @ParameterizedTest(name = "port: {0}")
    @CsvSource(delimiter = '|', value = {"0", "65536", "http", "-1"})
    void badPort(String value) {
        String shown = value.equals("http") ? "\"http\"" : value;
        assertEquals(List.of("eco:4:11: apps[0].port: expected a port number from 1 to 65535, got " + shown),
                errorsWith("    port: " + value));
    }

    @Test
    void portCollisionNamesTheFirstApp() {
        eco.yaml("apps:",
                "  - {name: web, script: app.js, port: 8080}",
                "  - {name: api, script: app.js, port: 8081}",
                "  - {name: admin, script: app.js, port: 8080}");
        assertEquals(List.of("eco:4:41: apps[2].port: port 8080 is already used by apps[0] (web)"), eco.errors());
    }

    @Test
    void duplicateNames() {
        eco.yaml("apps:",
                "  - {name: web, script: app.js}",
                "  - {name: api, script: app.js}",
                "  - {name: web, script: app.js}",
                "  - {name: web, script: app.js}");
        assertEquals(List.of(
                "eco:4:12: apps[2].name: duplicate app name \"web\" (also apps[0])",
                "eco:5:12: apps[3].name: duplicate app name \"web\" (also apps[0])"), eco.errors());
    }

    @ParameterizedTest(name = "stop_signal: {0}")
    @CsvSource(delimiter = '|', value = {
            "SIGTREM | unknown signal \"SIGTREM\"; did you mean \"SIGTERM\"?",
            "99      | unknown signal \"99\"; use a name like SIGTERM, SIGINT, SIGQUIT or SIGUSR2",
            "SIGKILL | SIGKILL cannot be caught; use kill_timeout to bound how long zdm waits before SIGKILL",
            "9       | SIGKILL cannot be caught; use kill_timeout to bound how long zdm waits before SIGKILL",
            "STOP    | SIGSTOP cannot be caught; use kill_timeout to bound how long zdm waits before SIGKILL"})
    void badStopSignal(String value, String message) {
        assertEquals(List.of("eco:4:18: apps[0].stop_signal: " + message), errorsWith("    stop_signal: " + value));
    }

    @Test
    void stopSignalAcceptsNamesAndNumbers() {
        eco.yaml("apps:",
                "  - {name: a, script: app.js, stop_signal: SIGQUIT}",
                "  - {name: b, script: app.js, stop_signal: usr2}",
                "  - {name: c, script: app.js, stop_signal: 1}");
        assertEquals(List.of("SIGQUIT", "SIGUSR2", "SIGHUP"), eco.apps().stream().map(s -> s.process().stopSignal().name()).toList());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "kill_timeout  | -5      | -5",
            "kill_timeout  | \"-5s\" | \"-5s\"",
            "min_uptime    | 1.5     | 1.5",
            "min_uptime    | 1 s     | \"1 s\"",
            "restart_delay | 3d      | \"3d\"",
            "restart_delay | \"1.5\" | \"1.5\"",
            "restart_delay | true    | true"})
    void badDurations(String key, String value, String shown) {
        assertEquals(List.of("eco:4:" + (key.length() + 7) + ": apps[0]." + key + ": expected a duration like 250ms,"
                        + " 1.5s, 2m or 1h, or a whole number of milliseconds, got " + shown),
                errorsWith("    " + key + ": " + value));
    }

    @Test
    void killTimeoutAtMostOneHour() {
        assertEquals(List.of("eco:4:19: apps[0].kill_timeout: must be at most 1h, got \"61m\""),
                errorsWith("    kill_timeout: 61m"));
    }

    @Test
    void restartDelayMaxMustNotBeBelowRestartDelay() {
        assertEquals(List.of("eco:5:24: apps[0].restart_delay_max: must be at least restart_delay (2s), got 1.5s"),
                errorsWith("    restart_delay: 2s", "    restart_delay_max: 1500"));
        assertEquals(List.of("eco:4:20: apps[0].restart_delay: must be at most restart_delay_max (15s, the default);"
                + " set restart_delay_max too"), errorsWith("    restart_delay: 20s"));
    }

    @ParameterizedTest(name = "max_memory_restart: {0}")
    @CsvSource(delimiter = '|', value = {"300X | \"300X\"", "-1 | -1", "1.5 | 1.5", "lots | \"lots\""})
    void badSizes(String value, String shown) {
        assertEquals(List.of("eco:4:25: apps[0].max_memory_restart: expected a size like 512K, 300M or 1G, or a whole"
                + " number of bytes, got " + shown), errorsWith("    max_memory_restart: " + value));
    }

    @Test
    void badIntegersAndBooleans() {
        assertEquals(List.of(
                "eco:4:19: apps[0].max_restarts: expected an integer from 0 to 2147483647, got -1",
                "eco:5:18: apps[0].autorestart: expected true or false, got \"nah\""),
                errorsWith("    max_restarts: -1", "    autorestart: nah"));
    }

    @Test
    void envRules() {
        assertEquals(List.of(
                // PORT (line 5) is the app's own without port: (see Pm2FilesTest for the rule with port:)
                "eco:6:7: apps[0].env.ZDM_APP: reserved variable: zdm sets it to the app name",
                "eco:7:7: apps[0].env.NODE_APP_INSTANCE: reserved variable: zdm sets it to the worker's index (as"
                        + " pm2 does)",
                "eco:8:7: apps[0].env.ZDM_WORKER_ID: reserved variable: zdm sets it to the worker's index",
                "eco:9:7: apps[0].env.1BAD: invalid variable name: use letters, digits and '_', not starting with a digit",
                "eco:10:13: apps[0].env.NULL: expected a string, number or boolean (write \"\" for empty), got nothing"
                        + " (null)",
                "eco:11:13: apps[0].env.LIST: expected a string, number or boolean (write \"\" for empty), got a list"),
                errorsWith("    env:",
                        "      PORT: 3000",
                        "      ZDM_APP: x",
                        "      NODE_APP_INSTANCE: 0",
                        "      ZDM_WORKER_ID: 0",
                        "      1BAD: x",
                        "      NULL: ~",
                        "      LIST: [a]"));
        assertEquals(List.of("eco:4:10: apps[0].env: expected a mapping of variable names to values, got \"A=1\""),
                errorsWith("    env: A=1"));
    }

    /** A key is part of the error's path: a line break or a tab in it is shown escaped, so the error stays one line. */
    @Test
    void aKeyWithALineBreakIsShownEscapedAndTheErrorIsOneLine() {
        assertEquals(List.of("eco:4:5: apps[0].x\\ny: unknown key"), errorsWith("    \"x\\ny\": 1"));
        assertEquals(List.of("eco:4:11: apps[0].env.A\\tB: invalid variable name: use letters, digits and '_',"
                + " not starting with a digit"), errorsWith("    env: {\"A\\tB\": 1}"));
    }

    /** In a path a quote or a backslash is shown as written (the path is not quoted); in a quoted value, escaped. */
    @Test
    void aQuoteInAKeyIsShownAsWrittenAndInAValueEscaped() {
        assertEquals(List.of("eco:4:5: apps[0].a\"b\\c: unknown key"), errorsWith("    'a\"b\\c': 1"));
        assertEquals(List.of("eco:4:18: apps[0].stop_signal: unknown signal \"SIG\\\"X\"; did you mean \"SIGIO\"?"), errorsWith("    stop_signal: 'SIG\"X'"));
    }
}
