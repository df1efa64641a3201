package zdm.config;

import static zdm.config.AppKey.*;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import zdm.config.Node.Mapping;
import zdm.net.ProxyProtocol;
import zdm.proc.Signal;

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
        var keys = new ReadKeys(nodes, values, this::at);
        Path cwd = CommandRules.cwd(keys, baseDir);
        List<String> command = CommandRules.command(keys, app.pos(), cwd);
        // listen: auto stands for proxy or socket from here on; a Node app it puts in socket mode is ready at its
        // listening event (the preload reports it) unless ready: or wait_ready says otherwise.
        // auto is the default: socket mode for a Node app (learning its port when it has no port:), else the proxy.
        // A listen: written but invalid has been reported: it chooses nothing, so it adds no second problem.
        boolean auto = Listen.AUTO.key().equals(nodes.containsKey(LISTEN) ? values.get(LISTEN) : get(LISTEN));
        if (auto) values.put(LISTEN, ListenAuto.choose(command, nodes, values));
        boolean autoSocket = auto && Listen.SOCKET.key().equals(values.get(LISTEN));
        CombinationRules.check(keys);
        WorkerVarRules.check(keys);
        Readiness ready = NodeMessages.readiness(nodes, values, command,
                autoSocket ? new Readiness.Listening() : Readiness.defaultFor(get(PORT), Listen.of(get(LISTEN))),
                this::at, problems);
        boolean shutdownWithMessage = NodeMessages.shutdownWithMessage(values, command, this::at, problems);
        LogFiles logFiles = LogFileRules.read(nodes, values, cwd, this::at);

        AppSpec spec = null;
        if (problems.count() == problemsBefore) {
            Integer port = get(PORT);
            spec = AppSpec.builder(get(NAME), command).cwd(cwd.toString()).env(get(ENV))
                    .instances(get(INSTANCES)).port(port)
                    .killTimeoutMs(get(KILL_TIMEOUT)).stopSignal(Signal.parse(get(STOP_SIGNAL)).orElseThrow())
                    .autorestart(get(AUTORESTART))
                    .maxRestarts(get(MAX_RESTARTS)).minUptimeMs(get(MIN_UPTIME))
                    .restartDelayMs(get(RESTART_DELAY)).restartDelayMaxMs(get(RESTART_DELAY_MAX))
                    .maxMemoryBytes(get(MAX_MEMORY_RESTART)).source(source)
                    .ready(ready).listenTimeoutMs(get(LISTEN_TIMEOUT)).reloadParallel(get(RELOAD_PARALLEL))
                    .protocol(ProxyProtocol.of(get(PROTOCOL))).logMaxBytes(get(LOG_MAX_SIZE)).logMaxFiles(get(LOG_MAX_FILES))
                    .listen(Listen.of(get(LISTEN))).livenessIntervalMs(get(LIVENESS_INTERVAL))
                    .livenessTimeoutMs(get(LIVENESS_TIMEOUT)).livenessFailures(get(LIVENESS_FAILURES))
                    .liveness(Liveness.of(get(LIVENESS))).socketFd(get(SOCKET_FD))
                    .headTimeoutMs(get(HEAD_TIMEOUT)).keepaliveTimeoutMs(get(KEEPALIVE_TIMEOUT))
                    .maxHeadBytes(get(MAX_HEAD_SIZE)).maxConnections(get(MAX_CONNECTIONS))
                    .bodyTimeoutMs(get(BODY_TIMEOUT)).maxConnectionsPerAddress(get(MAX_CONNECTIONS_PER_ADDRESS))
                    .sendTimeoutMs(get(SEND_TIMEOUT))
                    .autostart(get(AUTOSTART)).stopExitCodes(get(STOP_EXIT_CODES))
                    .cronRestart(get(CRON_RESTART) instanceof String c && !c.isEmpty() ? c : null)
                    .watch(this.<List<String>>get(WATCH).stream().map(p -> cwd.resolve(p).normalize().toString()).toList())
                    .ignoreWatch(values.containsKey(IGNORE_WATCH) ? get(IGNORE_WATCH)
                            : this.<List<String>>get(WATCH).isEmpty() ? List.of() : DEFAULT_IGNORE_WATCH)
                    // 0 (at the first change) is kept as 1 ms: a stored 0 is a value an older row lacked (ReloadSpec).
                    .watchDelayMs(Math.max(1, this.<Long>get(WATCH_DELAY)))
                    .minReadyMs(get(MIN_READY_TIME))
                    .logFiles(logFiles).shutdownWithMessage(shutdownWithMessage)
                    .instanceVar(get(INSTANCE_VAR)).incrementVar(get(INCREMENT_VAR))
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
