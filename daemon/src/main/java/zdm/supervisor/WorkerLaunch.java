package zdm.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import zdm.config.AppSpec;
import zdm.config.Readiness;
import zdm.net.FreePorts;
import zdm.net.PublicPort;
import zdm.net.SharedSocket;
import zdm.proc.LogSink;
import zdm.proc.SharingSpawn;
import zdm.proc.SpawnSpec;
import zdm.proc.WorkerProcess;

/**
 * Starts one worker process of an app: its environment ({@code ZDM_*}, {@code PORT}, {@code NOTIFY_SOCKET}, the Node
 * preload in socket mode), where its output goes, and the readiness watches, which exist before the process does (a
 * fast worker may print its ready line or send READY=1 at once). What happens to the process afterwards is
 * {@link App}'s. Called on the supervision loop; holds no state.
 */
final class WorkerLaunch {
    /**
     * A started process and what its readiness check watches.
     *
     * @param privatePort the worker's own PORT in proxy mode, else 0
     * @param notifyWatch the sd_notify socket for {@code ready: notify}, else null
     * @param readyFile   for {@code ready: message}: the file the preload creates at the worker's process.send('ready')
     * @param listenRequest for an app that learns its port: the file the preload writes the port of the app's listen()
     *                    into ({@link PortRequest}), else null
     * @param socket      the shared socket the process inherited (socket mode), else null
     */
    record Launched(ProcessRef process, int privatePort, ReadinessCheck.LineWatch lineWatch, NotifyWatch notifyWatch,
                    Path readyFile, Path listenRequest, SharedSocket socket) {
        Launched(ProcessRef process, int privatePort, ReadinessCheck.LineWatch lineWatch, NotifyWatch notifyWatch,
                 Path readyFile) {
            this(process, privatePort, lineWatch, notifyWatch, readyFile, null, null);
        }
    }

    private static final AtomicLong READY_SEQ = new AtomicLong();

    private WorkerLaunch() {}

    /** @throws IOException a one-line reason naming the config key (nothing is left open) */
    static Launched start(AppSpec spec, int workerId, AppContext ctx, PublicPort publicPort) throws IOException {
        var env = new HashMap<>(spec.process().fullEnv());
        env.put("ZDM_APP", spec.name());
        env.put("ZDM_WORKER_ID", Integer.toString(workerId));
        env.putAll(spec.process().workerVars(workerId, env)); // NODE_APP_INSTANCE, or pm2's instance_var; increment_var
        // This process's output, for ready: {log: ...}; watching from before the spawn (see LineWatch).
        var watch = new ReadinessCheck.LineWatch(spec.health().ready() instanceof Readiness.Log l ? Pattern.compile(l.pattern()) : null);
        var logs = ctx.logs();
        LogSink sink = (app, id, err, text) -> {
            logs.line(app, id, err, text);
            watch.line(text); // either stream: gunicorn and uvicorn log to stderr
        };
        NotifyWatch notify = null;
        try {
            if (spec.health().ready() instanceof Readiness.Notify || spec.health().watchdog()) {
                notify = NotifyWatch.open(ctx.notifyDir());
                env.put("NOTIFY_SOCKET", notify.address());
            }
            // systemd's WatchdogSec: sd_watchdog_enabled() reads it (no WATCHDOG_PID: any process of the tree may send).
            if (spec.health().watchdog()) env.put("WATCHDOG_USEC", Long.toString(spec.health().livenessIntervalMs() * 1000));
            Path readyFile = nodeMessages(spec, ctx, env);
            Path listenRequest = null;
            if (spec.network().learnsPort()) { // the preload reports where the app listens (or listens elsewhere than the socket)
                withPreload(spec, ctx, env);
                listenRequest = ctx.notifyDir().resolve(ProcessHandle.current().pid() + "-" + READY_SEQ.incrementAndGet() + ".listen");
                env.put("ZDM_LISTEN_REQUEST", listenRequest.toString());
                if (!(publicPort instanceof SharedSocket)) { // not known yet: this run only tells it
                    var process = WorkerProcess.spawn(new SpawnSpec(spec.name(), workerId, spec.process().command(), Path.of(spec.process().cwd()), env),
                            sink, ctx.capture());
                    return new Launched(ref(process), 0, watch, notify, readyFile, listenRequest, null);
                }
            }
            if (spec.network().socketMode()) {
                SharedSocket socket = publicPort instanceof SharedSocket s ? s : null;
                return new Launched(ref(spawnSharing(spec, workerId, ctx, publicPort, env, sink)), 0, watch, notify, readyFile,
                        listenRequest, socket);
            }
            int port = 0;
            if (spec.network().port() != null) {
                port = FreePorts.reserve();
                env.put("PORT", Integer.toString(port));
            }
            var process = WorkerProcess.spawn(new SpawnSpec(spec.name(), workerId, spec.process().command(), Path.of(spec.process().cwd()), env),
                    sink, ctx.capture());
            return new Launched(ref(process), port, watch, notify, readyFile);
        } catch (IOException | RuntimeException e) {
            if (notify != null) notify.close();
            throw e;
        }
    }

    /**
     * pm2's messages (ready: message, shutdown_with_message), which the preload carries: it is loaded, told what to
     * do, and for ready: message given the file to create at process.send('ready'), which is returned (else null).
     */
    private static Path nodeMessages(AppSpec spec, AppContext ctx, Map<String, String> env) throws IOException {
        boolean listening = spec.health().ready() instanceof Readiness.Listening;
        boolean waitReady = spec.health().ready() instanceof Readiness.Message || listening;
        if (!waitReady && !spec.process().shutdownWithMessage()) return null;
        withPreload(spec, ctx, env);
        if (spec.process().shutdownWithMessage()) env.put("ZDM_SHUTDOWN_MESSAGE", "1");
        if (!waitReady) return null;
        if (listening) env.put("ZDM_READY_ON", "listening"); // the preload creates the file at the listening event
        Path file = ctx.notifyDir().resolve(ProcessHandle.current().pid() + "-" + READY_SEQ.incrementAndGet() + ".ready");
        env.put("ZDM_READY_FILE", file.toString());
        return file;
    }

    /** zdm's Node preload on NODE_OPTIONS (once), with the stop signal it drains or turns into 'shutdown' on. */
    private static void withPreload(AppSpec spec, AppContext ctx, Map<String, String> env) throws IOException {
        env.put("ZDM_STOP_SIGNAL", spec.process().stopSignal().name());
        String preload = "--require \"" + ctx.nodePreload() + "\"";
        String nodeOptions = env.getOrDefault("NODE_OPTIONS", System.getenv("NODE_OPTIONS"));
        if (nodeOptions != null && nodeOptions.contains(preload)) return;
        env.put("NODE_OPTIONS", nodeOptions == null || nodeOptions.isBlank() ? preload : nodeOptions + " " + preload);
    }

    private static ProcessRef ref(WorkerProcess p) {
        return new ProcessRef(p.pid(), p.identity(), p.onExit());
    }

    /**
     * listen: socket: the worker inherits the app's listening socket as fd 3; PORT is the public port
     * (so an app's listen(PORT) is recognised by the Node preload and turned into a listen on fd 3).
     */
    private static WorkerProcess spawnSharing(AppSpec spec, int workerId, AppContext ctx, PublicPort publicPort,
                                              Map<String, String> env, LogSink sink) throws IOException {
        if (!(publicPort instanceof SharedSocket socket)) {
            throw new IOException("the listening socket of " + spec.name() + " is not open (apps[" + spec.name() + "].listen)");
        }
        // A learned port is not PORT: the app did not ask for one, and PORT may mean something else to it.
        if (spec.network().learnsPort()) env.put("ZDM_SHARED_PORT", Integer.toString(socket.port()));
        else env.put("PORT", Integer.toString(spec.network().port()));
        withPreload(spec, ctx, env);
        // The preload's connection counts of the workers that share this socket, so that they even out (zdm-preload.js).
        env.put("ZDM_ACCEPT_SHARE", ctx.notifyDir().resolve("accept-" + socket.port()).toString());
        return SharingSpawn.spawn(new SpawnSpec(spec.name(), workerId, spec.process().command(), Path.of(spec.process().cwd()), env), sink,
                ctx.capture(), socket.fd(), spec.network().socketFd());
    }
}
