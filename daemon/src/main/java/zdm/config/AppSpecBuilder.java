package zdm.config;

import java.util.List;
import java.util.Map;

/**
 * Builds an {@link AppSpec} by name instead of by position. A new key is added to the record's end,
 * to the fields and setters here, and to {@link #build()} and the copying constructor: nothing else
 * changes. Unset values are those of an ecosystem file that omits the key; null or 0 where the
 * record's own constructor applies the default.
 */
public final class AppSpecBuilder {
    private String name;
    private List<String> command;
    private String cwd = "/";
    private Map<String, String> env = Map.of();
    private int instances = 1;
    private Integer port;
    private long killTimeoutMs = 5_000;
    private String stopSignal = "SIGTERM";
    private boolean autorestart = true;
    private int maxRestarts = 16;
    private long minUptimeMs = 1_000;
    private long restartDelayMs = 100;
    private long restartDelayMaxMs = 15_000;
    private long maxMemoryBytes;
    private String source = "<command line>";
    private Readiness ready;
    private long listenTimeoutMs;
    private int reloadParallel;
    private String protocol;
    private Long logMaxBytes;
    private Integer logMaxFiles;
    private String listen;
    private long livenessIntervalMs;
    private long livenessTimeoutMs;
    private int livenessFailures;
    private String liveness;
    private Integer socketFd;
    private long headTimeoutMs;
    private long keepaliveTimeoutMs;
    private long maxHeadBytes;
    private int maxConnections;
    private Boolean autostart;
    private List<Integer> stopExitCodes;
    private String cronRestart;
    private List<String> watch;
    private List<String> ignoreWatch;
    private long watchDelayMs;
    private Long minReadyMs;
    private LogFiles logFiles;
    private boolean shutdownWithMessage;
    private long bodyTimeoutMs;
    private int maxConnectionsPerAddress;

    AppSpecBuilder(String name, List<String> command) {
        this.name = name;
        this.command = command;
    }

    AppSpecBuilder(AppSpec s) {
        this(s.name(), s.command());
        cwd = s.cwd();
        env = s.env();
        instances = s.instances();
        port = s.port();
        killTimeoutMs = s.killTimeoutMs();
        stopSignal = s.stopSignal();
        autorestart = s.autorestart();
        maxRestarts = s.maxRestarts();
        minUptimeMs = s.minUptimeMs();
        restartDelayMs = s.restartDelayMs();
        restartDelayMaxMs = s.restartDelayMaxMs();
        maxMemoryBytes = s.maxMemoryBytes();
        source = s.source();
        ready = s.ready();
        listenTimeoutMs = s.listenTimeoutMs();
        reloadParallel = s.reloadParallel();
        protocol = s.protocol();
        logMaxBytes = s.logMaxBytes();
        logMaxFiles = s.logMaxFiles();
        listen = s.listen();
        livenessIntervalMs = s.livenessIntervalMs();
        livenessTimeoutMs = s.livenessTimeoutMs();
        livenessFailures = s.livenessFailures();
        liveness = s.liveness();
        socketFd = s.socketFd();
        headTimeoutMs = s.headTimeoutMs();
        keepaliveTimeoutMs = s.keepaliveTimeoutMs();
        maxHeadBytes = s.maxHeadBytes();
        maxConnections = s.maxConnections();
        autostart = s.autostart();
        stopExitCodes = s.stopExitCodes();
        cronRestart = s.cronRestart();
        watch = s.watch();
        ignoreWatch = s.ignoreWatch();
        watchDelayMs = s.watchDelayMs();
        minReadyMs = s.minReadyMs();
        logFiles = s.logFiles();
        shutdownWithMessage = s.shutdownWithMessage();
        bodyTimeoutMs = s.bodyTimeoutMs();
        maxConnectionsPerAddress = s.maxConnectionsPerAddress();
    }

    public AppSpec build() {
        return new AppSpec(name, command, cwd, env, instances, port, killTimeoutMs, stopSignal, autorestart,
                maxRestarts, minUptimeMs, restartDelayMs, restartDelayMaxMs, maxMemoryBytes, source, ready,
                listenTimeoutMs, reloadParallel, protocol, logMaxBytes, logMaxFiles, listen,
                livenessIntervalMs, livenessTimeoutMs, livenessFailures, liveness, socketFd, headTimeoutMs,
                keepaliveTimeoutMs, maxHeadBytes, maxConnections, autostart, stopExitCodes, cronRestart, watch,
                ignoreWatch, watchDelayMs, minReadyMs, logFiles, shutdownWithMessage,
                bodyTimeoutMs, maxConnectionsPerAddress);
    }

    public AppSpecBuilder name(String v) { name = v; return this; }
    public AppSpecBuilder command(List<String> v) { command = v; return this; }
    public AppSpecBuilder cwd(String v) { cwd = v; return this; }
    public AppSpecBuilder env(Map<String, String> v) { env = v; return this; }
    public AppSpecBuilder instances(int v) { instances = v; return this; }
    public AppSpecBuilder port(Integer v) { port = v; return this; }
    public AppSpecBuilder killTimeoutMs(long v) { killTimeoutMs = v; return this; }
    public AppSpecBuilder stopSignal(String v) { stopSignal = v; return this; }
    public AppSpecBuilder autorestart(boolean v) { autorestart = v; return this; }
    public AppSpecBuilder maxRestarts(int v) { maxRestarts = v; return this; }
    public AppSpecBuilder minUptimeMs(long v) { minUptimeMs = v; return this; }
    public AppSpecBuilder restartDelayMs(long v) { restartDelayMs = v; return this; }
    public AppSpecBuilder restartDelayMaxMs(long v) { restartDelayMaxMs = v; return this; }
    public AppSpecBuilder maxMemoryBytes(long v) { maxMemoryBytes = v; return this; }
    public AppSpecBuilder source(String v) { source = v; return this; }
    public AppSpecBuilder ready(Readiness v) { ready = v; return this; }
    public AppSpecBuilder listenTimeoutMs(long v) { listenTimeoutMs = v; return this; }
    public AppSpecBuilder reloadParallel(int v) { reloadParallel = v; return this; }
    public AppSpecBuilder protocol(String v) { protocol = v; return this; }
    public AppSpecBuilder logMaxBytes(Long v) { logMaxBytes = v; return this; }
    public AppSpecBuilder logMaxFiles(Integer v) { logMaxFiles = v; return this; }
    public AppSpecBuilder listen(String v) { listen = v; return this; }
    public AppSpecBuilder livenessIntervalMs(long v) { livenessIntervalMs = v; return this; }
    public AppSpecBuilder livenessTimeoutMs(long v) { livenessTimeoutMs = v; return this; }
    public AppSpecBuilder livenessFailures(int v) { livenessFailures = v; return this; }
    public AppSpecBuilder liveness(String v) { liveness = v; return this; }
    public AppSpecBuilder socketFd(Integer v) { socketFd = v; return this; }
    public AppSpecBuilder headTimeoutMs(long v) { headTimeoutMs = v; return this; }
    public AppSpecBuilder keepaliveTimeoutMs(long v) { keepaliveTimeoutMs = v; return this; }
    public AppSpecBuilder maxHeadBytes(long v) { maxHeadBytes = v; return this; }
    public AppSpecBuilder maxConnections(int v) { maxConnections = v; return this; }
    public AppSpecBuilder autostart(boolean v) { autostart = v; return this; }
    public AppSpecBuilder stopExitCodes(List<Integer> v) { stopExitCodes = v; return this; }
    public AppSpecBuilder cronRestart(String v) { cronRestart = v; return this; }
    public AppSpecBuilder watch(List<String> v) { watch = v; return this; }
    public AppSpecBuilder ignoreWatch(List<String> v) { ignoreWatch = v; return this; }
    public AppSpecBuilder watchDelayMs(long v) { watchDelayMs = v; return this; }
    public AppSpecBuilder minReadyMs(Long v) { minReadyMs = v; return this; }
    public AppSpecBuilder logFiles(LogFiles v) { logFiles = v; return this; }
    public AppSpecBuilder shutdownWithMessage(boolean v) { shutdownWithMessage = v; return this; }
    public AppSpecBuilder bodyTimeoutMs(long v) { bodyTimeoutMs = v; return this; }
    public AppSpecBuilder maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
}
