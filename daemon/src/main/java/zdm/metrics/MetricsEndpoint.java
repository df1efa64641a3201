package zdm.metrics;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import zdm.config.MetricsSetting;
import zdm.log.DaemonLog;
import zdm.net.HttpListener;
import zdm.proc.PrivateHome;

/**
 * The daemon's opt-in Prometheus endpoint, {@code GET /metrics}, configured by an ecosystem file's
 * {@code metrics:} key. The address is remembered in {@code $ZDM_HOME/metrics.listen} so that a
 * restarted daemon serves it again. Requests are served on virtual threads; each scrape takes one
 * snapshot from the supervisor. Thread-safe: configuration changes (rare: one per {@code zdm start}
 * of a file with {@code metrics:}) are serialised by the monitor, which binds and closes the socket
 * under it so that two starts cannot leave two servers; a scrape never takes it.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final Path stateFile;
    private final Supplier<List<AppSample>> snapshot;
    private final HttpListener<MetricsSetting.Listen> http = new HttpListener<>(); // guarded by this

    public MetricsEndpoint(Path home, Supplier<List<AppSample>> snapshot) {
        this.stateFile = home.resolve("metrics.listen");
        this.snapshot = snapshot;
    }

    /** At start-up: serves the address a previous daemon was told to, if any. A failure is logged, not fatal. */
    public void restore() {
        try {
            if (!Files.exists(stateFile)) return;
            String[] hostPort = Files.readString(stateFile).trim().split(" ");
            String error = configure(new MetricsSetting.Listen(hostPort[0], Integer.parseInt(hostPort[1])));
            if (error != null) DaemonLog.warn(error);
        } catch (IOException | RuntimeException e) {
            DaemonLog.warn("metrics: cannot read " + stateFile + " (" + e.getMessage() + "); not serving metrics");
        }
    }

    /** Applies a file's {@code metrics:}; returns null, or a one-line reason (the old endpoint then stays). */
    public synchronized String configure(MetricsSetting setting) {
        switch (setting) {
            case MetricsSetting.Off off -> {
                http.stop();
                try {
                    Files.deleteIfExists(stateFile);
                } catch (IOException e) {
                    DaemonLog.warn("metrics: cannot remove " + stateFile + ": " + e.getMessage());
                }
                return null;
            }
            case MetricsSetting.Listen listen -> {
                if (listen.equals(http.serving())) return null;
                String error = http.replace(listen, listen.host(), listen.port(), port -> this::handle);
                if (error != null) {
                    return "metrics: cannot listen on " + listen.display() + " (" + error
                            + "); choose another port in metrics:";
                }
                try {
                    PrivateHome.writeString(stateFile, listen.host() + " " + listen.port() + "\n");
                } catch (IOException e) {
                    DaemonLog.warn("metrics: cannot save " + stateFile + ": " + e.getMessage());
                }
                DaemonLog.info("metrics: serving http://" + listen.display() + "/metrics");
                return null;
            }
        }
    }

    /** The bound port, or -1 when not serving. */
    public synchronized int port() {
        return http.port();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!ex.getRequestURI().getPath().equals("/metrics")) {
                reply(ex, 404, "not found; metrics are at /metrics\n", method);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(ex, 405, "method not allowed\n", method);
            } else {
                ex.getResponseHeaders().set("Content-Type", PromText.CONTENT_TYPE);
                reply(ex, 200, MetricsRenderer.render(snapshot.get()), method);
            }
        }
    }

    private static void reply(HttpExchange ex, int status, String body, String method) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!ex.getResponseHeaders().containsKey("Content-Type")) {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        if (method.equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public synchronized void close() {
        http.stop();
    }
}
