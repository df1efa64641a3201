package zdm.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import zdm.config.ConfigError;
import zdm.config.EcosystemLoader;
import zdm.config.LoadResult;
import zdm.daemon.DaemonInfo;
import zdm.protocol.ErrorKind;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;
import zdm.store.StoreException;
import zdm.supervisor.Supervisor;

/**
 * One handler per request, chosen by an exhaustive switch: a new request type does not compile
 * until it is handled here.
 */
public final class RequestHandler {
    private final Supervisor supervisor;
    private final DaemonInfo info;
    private final LogStreamer logs;
    private final EventStreamer events;
    private final Runnable shutdown;
    private final zdm.metrics.MetricsEndpoint metrics; // null: metrics: in a file is ignored
    private final zdm.dashboard.DashboardServer dashboard; // null: no dashboard in this daemon
    private final CommandRunner commands;

    public RequestHandler(Supervisor supervisor, DaemonInfo info, LogStreamer logs, Runnable shutdown) {
        this(supervisor, info, logs, shutdown, null);
    }

    public RequestHandler(Supervisor supervisor, DaemonInfo info, LogStreamer logs, Runnable shutdown,
                          zdm.metrics.MetricsEndpoint metrics) {
        this(supervisor, info, logs, shutdown, metrics, null);
    }

    public RequestHandler(Supervisor supervisor, DaemonInfo info, LogStreamer logs, Runnable shutdown,
                          zdm.metrics.MetricsEndpoint metrics, zdm.dashboard.DashboardServer dashboard) {
        this(supervisor, info, logs, shutdown, metrics, dashboard, CommandRunner.NONE);
    }

    public RequestHandler(Supervisor supervisor, DaemonInfo info, LogStreamer logs, Runnable shutdown,
                          zdm.metrics.MetricsEndpoint metrics, zdm.dashboard.DashboardServer dashboard,
                          CommandRunner commands) {
        this.commands = commands;
        this.dashboard = dashboard;
        this.supervisor = supervisor;
        this.info = info;
        this.logs = logs;
        this.events = new EventStreamer(supervisor.eventStore());
        this.shutdown = shutdown;
        this.metrics = metrics;
    }

    /** Answers one request; returns false when the connection should be closed afterwards. */
    boolean handle(Request request, int uid, java.nio.channels.ByteChannel ch) throws IOException {
        if (request instanceof Request.Run run) { // streams its own frames; the connection's last request
            CommandSession.run(run, commands, ch);
            return false;
        }
        try (var progress = new ProgressStream(ch)) {
            Response answer;
            try {
                answer = switch (request) {
                    case Request.Ping p -> new Response.Pong(info.version(), Wire.PROTOCOL_VERSION, info.pid(),
                            info.uptimeMs(), info.home());
                    case Request.StartFile f -> FileStart.run(f, supervisor, metrics, dashboard, uid, progress,
                            result -> apply(result, uid, progress));
                    case Request.StartInline i -> {
                        var loaded = EcosystemLoader.loadInline(i.app(), Path.of(i.cwd()));
                        if (loaded instanceof zdm.config.LoadResult.Loaded l) l.warnings().forEach(w -> progress.accept("warning: " + w));
                        yield apply(loaded, uid, progress);
                    }
                    case Request.StartApps s -> s.env() == null ? supervisor.startApps(s.target(), s.updateEnv(), uid, progress)
                            : AppEnvStart.run(s, supervisor, progress, result -> apply(result, uid, progress));
                    case Request.Stop s -> supervisor.stop(s.target(), uid, progress);
                    case Request.Restart r -> supervisor.restart(r.target(), r.updateEnv(), uid, progress);
                    case Request.Reload r -> supervisor.reload(r.target(), r.updateEnv(), uid, progress);
                    case Request.Delete d -> supervisor.delete(d.target(), uid, progress);
                    case Request.Scale s -> s.instances() < 1 || s.instances() > 1024
                            ? Response.Failed.of(ErrorKind.BAD_REQUEST, "scale: instances must be 1..1024, got " + s.instances())
                            : supervisor.scale(s.app(), s.instances(), uid, progress);
                    case Request.ListApps l -> supervisor.list();
                    case Request.Describe d -> supervisor.describe(d.app(), d.showSecrets());
                    case Request.Logs l -> logs.stream(l, ch);
                    case Request.Shutdown s -> {
                        // stops every worker (but socket-mode ones with keepWorkers) and keeps desired states
                        supervisor.shutdown(s.keepWorkers());
                        yield null;
                    }
                    case Request.Events e -> events.stream(e, n -> supervisor.appNames().contains(n), ch);
                    case Request.Flush f -> supervisor.flush(f.target(), uid);
                    case Request.Dashboard d -> DashboardLink.answer(d, dashboard);
                    case Request.Run r -> throw new IllegalStateException("answered by CommandSession");
                };
            } catch (StoreException e) {
                answer = Response.Failed.of(ErrorKind.INTERNAL, e.getMessage());
            } catch (java.util.concurrent.CompletionException e) {
                // Supervisor calls run on the loop and come back wrapped; a store failure there (disk full,
                // read-only) is still the store's one-line reason, not a closed connection.
                answer = e.getCause() instanceof StoreException store ? Response.Failed.of(ErrorKind.INTERNAL, store.getMessage())
                        : internalError(request, e.getCause() == null ? e : e.getCause());
            } catch (RuntimeException e) {
                answer = internalError(request, e); // every request gets an answer, even after a bug of ours
            }
            if (request instanceof Request.Shutdown shutdownRequest) {
                progress.close();
                Wire.send(ch, new Response.Done(shutdownRequest.keepWorkers()
                        ? "daemon stopping; the workers of listen: socket apps keep serving" : "daemon stopping"));
                shutdown.run();
                return false;
            }
            progress.close(); // every progress line goes out before the final answer
            if (answer != null) Wire.send(ch, answer);
            return !(request instanceof Request.Logs) && !(request instanceof Request.Events e && e.follow());
        }
    }

    private static Response internalError(Request request, Throwable e) {
        zdm.log.DaemonLog.error("request " + request.getClass().getSimpleName() + " failed", e);
        return Response.Failed.of(ErrorKind.INTERNAL, "internal error: " + e + " (stack trace in daemon.log)");
    }

    private Response apply(LoadResult result, int uid, Consumer<String> progress) {
        return switch (result) {
            case LoadResult.Invalid inv -> new Response.Failed(ErrorKind.INVALID_CONFIG,
                    inv.errors().size() == 1 ? inv.errors().getFirst().format()
                            : inv.errors().size() + " problems in the configuration; nothing was started",
                    inv.errors().size() == 1 ? java.util.List.of() : inv.errors().stream().map(ConfigError::format).toList());
            case LoadResult.Loaded ok -> supervisor.apply(ok.apps(), uid, progress);
        };
    }
}
