package zdm.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import zdm.protocol.Request;
import zdm.protocol.Response;

/**
 * Every address of the dashboard and who may use it: the link with the token sets the cookie and
 * sends the browser on without the token in its address; everything else needs the cookie; actions
 * are POSTs that also need the CSRF header, which a page of another site can neither read nor send.
 * Stateless apart from what it is given.
 */
final class Pages implements HttpHandler {
    static final String CSRF_HEADER = "X-Zdm-Csrf";
    private static final long PING_SECONDS = 15;
    private static final int MAX_POST_BYTES = 4096;

    private final Access access;
    private final String cookieName;
    private final ControlLink link;
    private final LiveFeed feed;
    private final Actions actions;

    Pages(Access access, int port, ControlLink link) {
        this.access = access;
        this.cookieName = "zdm_dashboard_" + port; // ports share cookies: one per daemon's port
        this.link = link;
        this.feed = new LiveFeed(link);
        this.actions = new Actions(link, feed);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            securityHeaders(ex);
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            if (path.equals("/") && query != null && query.startsWith("token=")) {
                login(ex, query.substring("token=".length()));
                return;
            }
            if (!access.isSession(cookie(ex))) {
                text(ex, 401, "the dashboard needs its link: run 'zdm dashboard' and open the address it prints\n");
                return;
            }
            boolean get = ex.getRequestMethod().equals("GET");
            switch (path) {
                case "/api/action" -> action(ex);
                case "/api/stream" -> { if (get) stream(ex); else notAllowed(ex, "GET"); }
                case "/api/logs" -> { if (get) logs(ex, query); else notAllowed(ex, "GET"); }
                case "/api/state" -> { if (get) state(ex); else notAllowed(ex, "GET"); }
                default -> {
                    var file = StaticFiles.find(path);
                    if (file == null) text(ex, 404, "not found\n");
                    else if (!get) notAllowed(ex, "GET");
                    else send(ex, 200, file.contentType(), file.bytes());
                }
            }
        }
    }

    /** The link's token, once: a cookie instead, and the page without the token in the address bar or history. */
    private void login(HttpExchange ex, String token) throws IOException {
        if (!access.isToken(java.net.URLDecoder.decode(token, StandardCharsets.UTF_8))) {
            text(ex, 401, "this link's token is not (or no longer) the dashboard's: run 'zdm dashboard' for the current link\n");
            return;
        }
        ex.getResponseHeaders().add("Set-Cookie", cookieName + "=" + access.session() + "; Path=/; HttpOnly; SameSite=Strict");
        ex.getResponseHeaders().set("Location", "/");
        send(ex, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    private void action(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            notAllowed(ex, "POST");
            return;
        }
        if (!access.isCsrf(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
            text(ex, 403, "an action needs the page's " + CSRF_HEADER + " header\n");
            return;
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin != null && !origin.equals("null") && host != null && !origin.endsWith("://" + host)) {
            text(ex, 403, "an action must come from the dashboard's own page\n");
            return;
        }
        byte[] body = ex.getRequestBody().readNBytes(MAX_POST_BYTES + 1);
        Actions.Posted posted;
        try {
            posted = body.length > MAX_POST_BYTES ? null : DashboardJson.read(body, Actions.Posted.class);
        } catch (IOException e) {
            posted = null;
        }
        var why = new StringBuilder();
        var request = Actions.request(posted, why);
        if (request == null) {
            text(ex, 400, (why.isEmpty() ? "expected a small JSON object" : why) + "\n");
            return;
        }
        json(ex, 202, Actions.accepted(actions.run(posted, request)));
    }

    /** What the page starts with: the CSRF value (readable only by a same-origin page), the apps and recent events. */
    private void state(HttpExchange ex) throws IOException {
        var out = new LinkedHashMap<String, Object>();
        out.put("csrf", access.csrf());
        var apps = link.call(new Request.ListApps(), r -> { });
        out.put("apps", apps instanceof Response.Apps a ? a.apps() : java.util.List.of());
        var events = new java.util.ArrayList<Object>();
        link.call(new Request.Events(null, 100, 0, false), r -> {
            if (r instanceof Response.Event e) events.add(e.event());
        });
        out.put("events", events);
        json(ex, 200, out);
    }

    private void stream(HttpExchange ex) throws IOException {
        var q = feed.join();
        try {
            var sse = new SseStream(ex);
            sse.ping();
            while (feed.isViewing(q)) {
                var m = q.poll(PING_SECONDS, TimeUnit.SECONDS);
                if (m == null) sse.ping();
                else sse.send(m.event(), m.data());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the browser left
        } finally {
            feed.leave(q);
        }
    }

    /** One app's log, as {@code zdm logs <app> -n 200 -f}: a reader thread fills a queue, this thread writes it. */
    private void logs(HttpExchange ex, String query) throws IOException {
        String app = query != null && query.startsWith("app=")
                ? java.net.URLDecoder.decode(query.substring(4), StandardCharsets.UTF_8) : null;
        if (app == null || app.isBlank()) {
            text(ex, 400, "expected /api/logs?app=<name>\n");
            return;
        }
        var q = new java.util.concurrent.ArrayBlockingQueue<LiveFeed.Message>(1000);
        try (var follow = link.open(new Request.Logs(app, 200, true))) {
            var reader = Thread.ofVirtual().name("zdm-dashboard-logs").start(() -> {
                try {
                    for (Response r = follow.next(); r != null; r = follow.next()) {
                        var m = switch (r) {
                            case Response.LogLine l -> new LiveFeed.Message("log", json(new LogLine(l.line(), l.err())));
                            case Response.Failed f -> new LiveFeed.Message("failed", json(java.util.Map.of("message", f.message())));
                            default -> null;
                        };
                        if (m != null && !q.offer(m)) break; // the browser stopped reading: end the follow
                    }
                } catch (IOException e) {
                    // closed below, or the daemon is stopping
                }
                q.offer(new LiveFeed.Message("end", "{}"));
            });
            var sse = new SseStream(ex);
            sse.ping();
            try {
                while (true) {
                    var m = q.poll(PING_SECONDS, TimeUnit.SECONDS);
                    if (m == null) {
                        sse.ping();
                    } else {
                        sse.send(m.event(), m.data());
                        if (m.event().equals("end")) break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the browser left
            } finally {
                follow.close();
                reader.interrupt();
            }
        }
    }

    record LogLine(String line, boolean err) {}

    private String cookie(HttpExchange ex) {
        for (var header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (var part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(cookieName)) return part.substring(eq + 1).strip();
            }
        }
        return null;
    }

    private static void securityHeaders(HttpExchange ex) {
        var h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none';"
                + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
    }

    private static String json(Object value) {
        return new String(DashboardJson.bytes(value), StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, "application/json", DashboardJson.bytes(value));
    }

    private static void notAllowed(HttpExchange ex, String allow) throws IOException {
        ex.getResponseHeaders().set("Allow", allow);
        text(ex, 405, "method not allowed; use " + allow + "\n");
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
    }
}
