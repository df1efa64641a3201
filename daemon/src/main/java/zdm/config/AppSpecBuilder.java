package zdm.config;

import java.util.List;
import java.util.Map;
import zdm.net.ProxyProtocol;
import zdm.proc.Signal;

/**
 * Builds an {@link AppSpec} by name instead of by position, flat: one setter per value whatever part of the
 * spec it belongs to. A new key is added to its part's record, to the fields and setters here, and to that
 * part in {@link #build()} and the copying constructor: nothing else changes. Unset values are those of an
 * ecosystem file that omits the key; null or 0 where the part's own constructor applies the default.
 */
public final class AppSpecBuilder {
    private String name;
    private String source = "<command line>";
    private int instances = 1;
    private Boolean autostart;
    // process
    private List<String> command;
    private String cwd = "/";
    private Map<String, String> env = Map.of();
    private Signal stopSignal = Signal.SIGTERM;
    private long killTimeoutMs = 5_000;
    private boolean shutdownWithMessage;
    private Map<String, String> callerEnv = Map.of();
    private String instanceVar;
    private String incrementVar;
    // network
    private Integer port;
    private Listen listen;
    private ProxyProtocol protocol;
    private Integer socketFd;
    private long headTimeoutMs;
    private long keepaliveTimeoutMs;
    private long bodyTimeoutMs;
    private long maxHeadBytes;
    private int maxConnections;
    private int maxConnectionsPerAddress;
    private long sendTimeoutMs;
    // health
    private Readiness ready;
    private long listenTimeoutMs;
    private Liveness liveness;
    private long livenessIntervalMs;
    private long livenessTimeoutMs;
    private int livenessFailures;
    // restart
    private boolean autorestart = true;
    private int maxRestarts = 16;
    private long minUptimeMs = 1_000;
    private long restartDelayMs = 100;
    private long restartDelayMaxMs = 15_000;
    private long maxMemoryBytes;
    private List<Integer> stopExitCodes;
    // reload
    private int reloadParallel;
    private Long minReadyMs;
    private String cronRestart;
    private List<String> watch;
    private List<String> ignoreWatch;
    private long watchDelayMs;
    // logs
    private Long logMaxBytes;
    private Integer logMaxFiles;
    private LogFiles logFiles;

    AppSpecBuilder(String name, List<String> command) {
        this.name = name;
        this.command = command;
    }

    AppSpecBuilder(AppSpec s) {
        this(s.name(), s.process().command());
        source = s.source();
        instances = s.instances();
        autostart = s.autostart();
        var p = s.process();
        cwd = p.cwd();
        env = p.env();
        stopSignal = p.stopSignal();
        killTimeoutMs = p.killTimeoutMs();
        shutdownWithMessage = p.shutdownWithMessage();
        callerEnv = p.callerEnv();
        instanceVar = p.instanceVar();
        incrementVar = p.incrementVar();
        var n = s.network();
        port = n.port();
        listen = n.listen();
        protocol = n.protocol();
        socketFd = n.socketFd();
        headTimeoutMs = n.headTimeoutMs();
        keepaliveTimeoutMs = n.keepaliveTimeoutMs();
        bodyTimeoutMs = n.bodyTimeoutMs();
        maxHeadBytes = n.maxHeadBytes();
        maxConnections = n.maxConnections();
        maxConnectionsPerAddress = n.maxConnectionsPerAddress();
        sendTimeoutMs = n.sendTimeoutMs();
        var h = s.health();
        ready = h.ready();
        listenTimeoutMs = h.listenTimeoutMs();
        liveness = h.liveness();
        livenessIntervalMs = h.livenessIntervalMs();
        livenessTimeoutMs = h.livenessTimeoutMs();
        livenessFailures = h.livenessFailures();
        var r = s.restart();
        autorestart = r.autorestart();
        maxRestarts = r.maxRestarts();
        minUptimeMs = r.minUptimeMs();
        restartDelayMs = r.restartDelayMs();
        restartDelayMaxMs = r.restartDelayMaxMs();
        maxMemoryBytes = r.maxMemoryBytes();
        stopExitCodes = r.stopExitCodes();
        var rl = s.reload();
        reloadParallel = rl.reloadParallel();
        minReadyMs = rl.minReadyMs();
        cronRestart = rl.cronRestart();
        watch = rl.watch();
        ignoreWatch = rl.ignoreWatch();
        watchDelayMs = rl.watchDelayMs();
        var l = s.logs();
        logMaxBytes = l.logMaxBytes();
        logMaxFiles = l.logMaxFiles();
        logFiles = l.logFiles();
    }

    public AppSpec build() {
        return new AppSpec(name, source, instances, autostart,
                new ProcessSpec(command, cwd, env, stopSignal, killTimeoutMs, shutdownWithMessage, callerEnv, instanceVar, incrementVar),
                new NetworkSpec(port, listen, protocol, socketFd, headTimeoutMs, keepaliveTimeoutMs, bodyTimeoutMs,
                        maxHeadBytes, maxConnections, maxConnectionsPerAddress, sendTimeoutMs),
                new HealthSpec(ready, listenTimeoutMs, liveness, livenessIntervalMs, livenessTimeoutMs, livenessFailures),
                new RestartSpec(autorestart, maxRestarts, minUptimeMs, restartDelayMs, restartDelayMaxMs, maxMemoryBytes,
                        stopExitCodes),
                new ReloadSpec(reloadParallel, minReadyMs, cronRestart, watch, ignoreWatch, watchDelayMs),
                new LogSpec(logMaxBytes, logMaxFiles, logFiles));
    }

    public AppSpecBuilder name(String v) { name = v; return this; }
    public AppSpecBuilder source(String v) { source = v; return this; }
    public AppSpecBuilder instances(int v) { instances = v; return this; }
    public AppSpecBuilder autostart(boolean v) { autostart = v; return this; }

    public AppSpecBuilder command(List<String> v) { command = v; return this; }
    public AppSpecBuilder cwd(String v) { cwd = v; return this; }
    public AppSpecBuilder env(Map<String, String> v) { env = v; return this; }
    public AppSpecBuilder stopSignal(Signal v) { stopSignal = v; return this; }
    public AppSpecBuilder killTimeoutMs(long v) { killTimeoutMs = v; return this; }
    public AppSpecBuilder shutdownWithMessage(boolean v) { shutdownWithMessage = v; return this; }
    public AppSpecBuilder callerEnv(Map<String, String> v) { callerEnv = v; return this; }
    public AppSpecBuilder instanceVar(String v) { instanceVar = v; return this; }
    public AppSpecBuilder incrementVar(String v) { incrementVar = v; return this; }

    public AppSpecBuilder port(Integer v) { port = v; return this; }
    public AppSpecBuilder listen(Listen v) { listen = v; return this; }
    public AppSpecBuilder protocol(ProxyProtocol v) { protocol = v; return this; }
    public AppSpecBuilder socketFd(Integer v) { socketFd = v; return this; }
    public AppSpecBuilder headTimeoutMs(long v) { headTimeoutMs = v; return this; }
    public AppSpecBuilder keepaliveTimeoutMs(long v) { keepaliveTimeoutMs = v; return this; }
    public AppSpecBuilder bodyTimeoutMs(long v) { bodyTimeoutMs = v; return this; }
    public AppSpecBuilder maxHeadBytes(long v) { maxHeadBytes = v; return this; }
    public AppSpecBuilder maxConnections(int v) { maxConnections = v; return this; }
    public AppSpecBuilder maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
    public AppSpecBuilder sendTimeoutMs(long v) { sendTimeoutMs = v; return this; }

    public AppSpecBuilder ready(Readiness v) { ready = v; return this; }
    public AppSpecBuilder listenTimeoutMs(long v) { listenTimeoutMs = v; return this; }
    public AppSpecBuilder liveness(Liveness v) { liveness = v; return this; }
    public AppSpecBuilder livenessIntervalMs(long v) { livenessIntervalMs = v; return this; }
    public AppSpecBuilder livenessTimeoutMs(long v) { livenessTimeoutMs = v; return this; }
    public AppSpecBuilder livenessFailures(int v) { livenessFailures = v; return this; }

    public AppSpecBuilder autorestart(boolean v) { autorestart = v; return this; }
    public AppSpecBuilder maxRestarts(int v) { maxRestarts = v; return this; }
    public AppSpecBuilder minUptimeMs(long v) { minUptimeMs = v; return this; }
    public AppSpecBuilder restartDelayMs(long v) { restartDelayMs = v; return this; }
    public AppSpecBuilder restartDelayMaxMs(long v) { restartDelayMaxMs = v; return this; }
    public AppSpecBuilder maxMemoryBytes(long v) { maxMemoryBytes = v; return this; }
    public AppSpecBuilder stopExitCodes(List<Integer> v) { stopExitCodes = v; return this; }

    public AppSpecBuilder reloadParallel(int v) { reloadParallel = v; return this; }
    public AppSpecBuilder minReadyMs(Long v) { minReadyMs = v; return this; }
    public AppSpecBuilder cronRestart(String v) { cronRestart = v; return this; }
    public AppSpecBuilder watch(List<String> v) { watch = v; return this; }
    public AppSpecBuilder ignoreWatch(List<String> v) { ignoreWatch = v; return this; }
    public AppSpecBuilder watchDelayMs(long v) { watchDelayMs = v; return this; }

    public AppSpecBuilder logMaxBytes(Long v) { logMaxBytes = v; return this; }
    public AppSpecBuilder logMaxFiles(Integer v) { logMaxFiles = v; return this; }
    public AppSpecBuilder logFiles(LogFiles v) { logFiles = v; return this; }
}
