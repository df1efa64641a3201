package zdm.config;

import static zdm.config.AppKey.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import zdm.config.Interpreters.Interpreter;
import zdm.config.Node.Mapping;
import zdm.config.Node.Pos;

/**
 * Validates one app: reads each key through {@link AppKey}, applies the rules that involve several
 * keys (script or command, interpreter, shell, cwd, backoff bounds; readiness in {@link ReadinessRules})
 * and builds the {@link AppSpec}.
 * Not thread-safe; one instance per app and load.
 */
final class AppValidator {

    /** One app's outcome: its spec when it is valid, and what the checks across apps need. */
    record Checked(AppSpec spec, String name, Node nameNode, Integer port, Node portNode) {}

    /** pm2's default when ignore_watch is not given: dot files and directories, and node_modules. */
    static final List<String> DEFAULT_IGNORE_WATCH = List.of("node_modules", ".*");

    private final String prefix;
    private final Path baseDir;
    private final Problems problems;
    private final Map<AppKey, Node> nodes = new EnumMap<>(AppKey.class);
    private final Map<AppKey, Object> values = new EnumMap<>(AppKey.class);

    private AppValidator(String prefix, Path baseDir, Problems problems) {
        this.prefix = prefix;
        this.baseDir = baseDir;
        this.problems = problems;
    }

    /**
     * @param prefix  the app's path in messages ({@code apps[1]}), or "" for a command-line app
     * @param baseDir absolute directory that relative paths are resolved against
     * @param source  what {@link AppSpec#source()} says
     */
    static Checked validate(Node app, String prefix, Path baseDir, String source, Problems problems) {
        if (!(app instanceof Mapping mapping)) {
            problems.add(app.pos(), prefix, "expected a mapping of app keys (name:, script:, ...), got " + Node.describe(app));
            return new Checked(null, null, null, null, null);
        }
        return new AppValidator(prefix, baseDir, problems).check(mapping, source);
    }

    private Checked check(Mapping app, String source) {
        int problemsBefore = problems.count();
        readKeys(app);
        if (!nodes.containsKey(NAME)) problems.add(app.pos(), path("name"), "missing; every app needs a name");
        Path cwd = cwd();
        List<String> command = command(app.pos(), cwd);
        if (AppSpec.LISTEN_AUTO.equals(values.get(LISTEN))) values.put(LISTEN, ListenAuto.choose(command, nodes, values));
        checkBackoffBounds();
        checkPortInEnv();
        ReadinessRules.check(nodes, values, this::at);
        checkLiveness();
        if (nodes.containsKey(SOCKET_FD) && !AppSpec.LISTEN_SOCKET.equals(values.get(LISTEN))) {
            fail(SOCKET_FD, "is for listen: socket (the descriptor the shared socket is handed as); remove it or set listen: socket");
        }
        checkProxyLimits();
        Readiness ready = NodeMessages.readiness(nodes, values, command, Readiness.defaultFor(get(PORT), get(LISTEN)),
                this::at, problems);
        boolean shutdownWithMessage = NodeMessages.shutdownWithMessage(values, command, this::at, problems);
        LogFiles logFiles = LogFileRules.read(nodes, values, cwd, this::at);

        AppSpec spec = null;
        if (problems.count() == problemsBefore) {
            Integer port = get(PORT);
            spec = AppSpec.builder(get(NAME), command).cwd(cwd.toString()).env(get(ENV))
                    .instances(get(INSTANCES)).port(port)
                    .killTimeoutMs(get(KILL_TIMEOUT)).stopSignal(get(STOP_SIGNAL)).autorestart(get(AUTORESTART))
                    .maxRestarts(get(MAX_RESTARTS)).minUptimeMs(get(MIN_UPTIME))
                    .restartDelayMs(get(RESTART_DELAY)).restartDelayMaxMs(get(RESTART_DELAY_MAX))
                    .maxMemoryBytes(get(MAX_MEMORY_RESTART)).source(source)
                    .ready(ready).listenTimeoutMs(get(LISTEN_TIMEOUT)).reloadParallel(get(RELOAD_PARALLEL))
                    .protocol(get(PROTOCOL)).logMaxBytes(get(LOG_MAX_SIZE)).logMaxFiles(get(LOG_MAX_FILES))
                    .listen(get(LISTEN)).livenessIntervalMs(get(LIVENESS_INTERVAL))
                    .livenessTimeoutMs(get(LIVENESS_TIMEOUT)).livenessFailures(get(LIVENESS_FAILURES))
                    .liveness(get(LIVENESS)).socketFd(get(SOCKET_FD))
                    .headTimeoutMs(get(HEAD_TIMEOUT)).keepaliveTimeoutMs(get(KEEPALIVE_TIMEOUT))
                    .maxHeadBytes(get(MAX_HEAD_SIZE)).maxConnections(get(MAX_CONNECTIONS))
                    .autostart(get(AUTOSTART)).stopExitCodes(get(STOP_EXIT_CODES))
                    .cronRestart(get(CRON_RESTART) instanceof String c && !c.isEmpty() ? c : null)
                    .watch(this.<List<String>>get(WATCH).stream().map(p -> cwd.resolve(p).normalize().toString()).toList())
                    .ignoreWatch(values.containsKey(IGNORE_WATCH) ? get(IGNORE_WATCH)
                            : this.<List<String>>get(WATCH).isEmpty() ? List.of() : DEFAULT_IGNORE_WATCH)
                    .watchDelayMs(get(WATCH_DELAY))
                    .minReadyMs(get(MIN_READY_TIME))
                    .logFiles(logFiles).shutdownWithMessage(shutdownWithMessage)
                    .build();
        }
        return new Checked(spec, (String) values.get(NAME), nodes.get(NAME), (Integer) values.get(PORT), nodes.get(PORT));
    }

    private void readKeys(Mapping app) {
        for (var entry : app.entries().values()) {
            var key = AppKey.byKey(entry.key());
            if (key.isEmpty()) {
                String pm2Note = AppKey.PM2_ONLY.get(entry.key());
                problems.add(entry.keyPos(), path(entry.key()), "unknown key"
                        + (pm2Note != null ? "; pm2's " + entry.key() + " is not in zdm: " + pm2Note
                                : Suggestions.didYouMean(entry.key(), AppKey.keys())));
                continue;
            }
            nodes.put(key.get(), entry.value());
            Object value = key.get().reader.read(entry.value(), at(key.get()));
            if (value != null) values.put(key.get(), value);
        }
    }

    /** The absolute working directory, or null when it is invalid (reported). */
    private Path cwd() {
        if (!nodes.containsKey(CWD)) return baseDir;
        String text = (String) values.get(CWD);
        if (text == null) return null;
        Path dir = baseDir.resolve(text).normalize();
        if (!Files.exists(dir)) {
            problems.add(nodes.get(CWD).pos(), path("cwd"), "directory not found: " + dir + relativeTo(text, "", baseDir));
            return null;
        }
        if (!Files.isDirectory(dir)) {
            problems.add(nodes.get(CWD).pos(), path("cwd"), "not a directory: " + dir);
            return null;
        }
        return dir;
    }

    /** The argv, or null when something about it is invalid (reported). */
    private List<String> command(Pos appPos, Path cwd) {
        boolean hasScript = nodes.containsKey(SCRIPT);
        boolean hasCommand = nodes.containsKey(COMMAND);
        if (hasScript && hasCommand) {
            return fail(COMMAND, "use either script: or command:, not both");
        }
        if (!hasScript && !hasCommand) {
            problems.add(appPos, path("script"),
                    "missing; every app needs script: (a file to run) or command: (a program and its arguments)");
            return null;
        }
        return hasCommand ? fromCommand(cwd) : fromScript(cwd);
    }

    private List<String> fromCommand(Path cwd) {
        boolean shell = get(SHELL);
        for (AppKey onlyWithScript : List.of(INTERPRETER, INTERPRETER_ARGS, NODE_ARGS)) {
            if (nodes.containsKey(onlyWithScript)) {
                fail(onlyWithScript, "only valid with script:; with command:, write the program and its options in the command");
            }
        }
        Object command = values.get(COMMAND);
        if (command instanceof String line && shell) {
            if (nodes.containsKey(ARGS)) {
                return fail(ARGS, "cannot be combined with shell: true; write the arguments in the command string");
            }
            if (line.isBlank()) return fail(COMMAND, "must not be empty");
            return List.of("/bin/sh", "-c", line);
        }
        if (command instanceof List<?> && shell) {
            return fail(SHELL, "shell: true needs command: as a string; a list is already split into arguments");
        }
        List<String> argv = words(COMMAND);
        List<String> args = words(ARGS);
        if (argv == null || args == null || cwd == null) return null;
        if (argv.isEmpty()) return fail(COMMAND, "must not be empty");
        var result = new ArrayList<String>(argv);
        result.set(0, resolveProgram(argv.getFirst(), cwd));
        result.addAll(args);
        return result;
    }

    private List<String> fromScript(Path cwd) {
        if (Boolean.TRUE.equals(values.get(SHELL))) {
            fail(SHELL, "only valid with command: (a string to run with /bin/sh -c)");
        }
        if (nodes.containsKey(INTERPRETER_ARGS) && nodes.containsKey(NODE_ARGS)) {
            fail(NODE_ARGS, "use interpreter_args or node_args (pm2's older name), not both");
        }
        List<String> interpreterArgs = words(nodes.containsKey(NODE_ARGS) ? NODE_ARGS : INTERPRETER_ARGS);
        List<String> args = words(ARGS);
        String scriptText = (String) values.get(SCRIPT);
        if (scriptText == null || cwd == null || interpreterArgs == null || args == null) return null;

        Path script = cwd.resolve(scriptText).normalize();
        if (!Files.exists(script)) return fail(SCRIPT, "file not found: " + script + relativeTo(scriptText, "cwd ", cwd));
        if (Files.isDirectory(script) && !Interpreters.isNodePackage(script)) {
            return fail(SCRIPT, "is a directory without package.json or index.js (node, which runs a directory as in"
                    + " pm2, would find nothing to start): " + script);
        }
        if (Files.isDirectory(script) && "none".equals(values.get(INTERPRETER))) {
            return fail(INTERPRETER, "none runs the script itself, but " + script + " is a directory; remove interpreter:");
        }

        Interpreter interpreter = interpreter(script, cwd);
        if (interpreter == null && !Files.isExecutable(script)) {
            return fail(SCRIPT, script + " is not executable and zdm knows no interpreter for its extension;"
                    + " set interpreter: (for example interpreter: bash) or make it executable (chmod +x)");
        }
        var argv = new ArrayList<String>();
        if (interpreter != null) {
            argv.addAll(interpreter.program());
            argv.addAll(interpreterArgs);
            argv.addAll(interpreter.beforeScript());
        } else if (!interpreterArgs.isEmpty()) {
            return fail(nodes.containsKey(NODE_ARGS) ? NODE_ARGS : INTERPRETER_ARGS,
                    "the script runs without an interpreter, so there is nothing to pass these to; set interpreter:");
        }
        argv.add(script.toString());
        argv.addAll(args);
        return argv;
    }

    /** The interpreter named or inferred for the script, or null to execute the script itself. */
    private Interpreter interpreter(Path script, Path cwd) {
        String named = (String) values.get(INTERPRETER);
        if (named == null) return Interpreters.forScript(script).orElse(null);
        if (named.equals("none")) return null; // pm2's way of saying "execute the script directly"
        return new Interpreter(List.of(resolveProgram(named, cwd)), List.of());
    }

    /** A program written as a relative path ({@code ./bin/server}) is relative to cwd; a bare name is looked up on PATH later. */
    private static String resolveProgram(String program, Path cwd) {
        return program.contains("/") ? cwd.resolve(program).normalize().toString() : program;
    }

    /** A list value as is, a string value split like a shell would; empty when absent; null when invalid. */
    private List<String> words(AppKey key) {
        if (!nodes.containsKey(key)) return List.of();
        return switch (values.get(key)) {
            case null -> null;
            case List<?> list -> list.stream().map(String.class::cast).toList();
            case String line -> {
                try {
                    yield CommandLineSplitter.split(line);
                } catch (CommandLineSplitter.SplitException e) {
                    yield fail(key, e.getMessage());
                }
            }
            default -> throw new IllegalStateException("unexpected value for " + key);
        };
    }

    /** An app without port: may set PORT itself (it listens there); with port:, zdm sets each worker's PORT. */
    private void checkPortInEnv() {
        if (!nodes.containsKey(PORT) || !(nodes.get(ENV) instanceof Mapping env)
                || !(env.entries().get("PORT") instanceof Node.Entry var)) {
            return;
        }
        problems.add(var.keyPos(), path("env.PORT"), "zdm sets PORT to each worker's own port when the app has a"
                + " port: (" + values.get(PORT) + "); remove PORT from env");
    }

    private void checkBackoffBounds() {
        boolean delayValid = values.containsKey(RESTART_DELAY) || !nodes.containsKey(RESTART_DELAY);
        boolean maxValid = values.containsKey(RESTART_DELAY_MAX) || !nodes.containsKey(RESTART_DELAY_MAX);
        long delay = get(RESTART_DELAY);
        long max = get(RESTART_DELAY_MAX);
        if (!delayValid || !maxValid || delay <= max) return;
        if (nodes.containsKey(RESTART_DELAY_MAX)) {
            fail(RESTART_DELAY_MAX, "must be at least restart_delay (" + Durations.format(delay) + "), got "
                    + Durations.format(max));
        } else {
            fail(RESTART_DELAY, "must be at most restart_delay_max (" + Durations.format(max)
                    + ", the default); set restart_delay_max too");
        }
    }

    /**
     * A liveness probe is an HTTP request to the worker's private PORT: it needs a port that speaks HTTP. The
     * watchdog needs none of that, only an interval; the probe's timeout and failure count mean nothing to it.
     */
    private void checkLiveness() {
        if (AppSpec.LIVENESS_WATCHDOG.equals(values.get(LIVENESS))) {
            if (!values.containsKey(LIVENESS_INTERVAL) || (long) get(LIVENESS_INTERVAL) == 0) {
                fail(LIVENESS, "watchdog needs liveness_interval: the longest time allowed between two WATCHDOG=1"
                        + " (systemd's WatchdogSec); add it");
            }
            for (var probeOnly : List.of(LIVENESS_TIMEOUT, LIVENESS_FAILURES)) {
                if (nodes.containsKey(probeOnly)) {
                    fail(probeOnly, "is for liveness: http (the probe); a watchdog fails at the first missed"
                            + " liveness_interval; remove it");
                }
            }
            return;
        }
        if (!values.containsKey(LIVENESS_INTERVAL) || (long) get(LIVENESS_INTERVAL) == 0) return;
        if (!nodes.containsKey(PORT)) {
            fail(LIVENESS_INTERVAL, "needs port: (the probe is an HTTP request to the worker's PORT); add a port or remove it");
        } else if (AppSpec.LISTEN_SOCKET.equals(values.get(LISTEN))) {
            fail(LIVENESS_INTERVAL, "probes a worker's private PORT, which listen: socket does not have;"
                    + " remove liveness_interval or use listen: proxy");
        } else if ("tcp".equals(values.get(PROTOCOL))) {
            // The kernel completes a TCP handshake even for a stopped process, so only an answer proves liveness.
            fail(LIVENESS_INTERVAL, "needs an HTTP app (the probe waits for an HTTP answer), but protocol is tcp;"
                    + " remove liveness_interval or set protocol: http");
        }
    }

    /** The limits are the proxy's: without a port, or in socket mode (the workers accept), there is none. */
    private void checkProxyLimits() {
        for (var key : List.of(HEAD_TIMEOUT, KEEPALIVE_TIMEOUT, MAX_HEAD_SIZE, MAX_CONNECTIONS)) {
            if (!nodes.containsKey(key)) continue;
            if (!nodes.containsKey(PORT)) {
                fail(key, "limits the proxy on the app's port, and the app has none; set port: or remove " + key.key + ":");
            } else if (AppSpec.LISTEN_SOCKET.equals(values.get(LISTEN))) {
                fail(key, "is only for listen: proxy (in socket mode the workers accept, and their own limits apply);"
                        + " remove " + key.key + ":");
            }
        }
        if (values.get(MAX_HEAD_SIZE) instanceof Long bytes && (bytes < 1024 || bytes > 1024 * 1024)) {
            fail(MAX_HEAD_SIZE, "must be from 1K to 1M, got " + bytes + " bytes");
        }
    }

    private static String relativeTo(String written, String what, Path dir) {
        return written.startsWith("/") ? "" : " (relative to " + what + dir + ")";
    }

    @SuppressWarnings("unchecked")
    private <T> T get(AppKey key) {
        return (T) values.getOrDefault(key, key.fallback);
    }

    private <T> T fail(AppKey key, String message) {
        return at(key).fail(nodes.get(key), message);
    }

    private Problems.At at(AppKey key) {
        return new Problems.At(path(key.key), problems);
    }

    private String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
