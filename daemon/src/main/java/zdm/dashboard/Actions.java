package zdm.dashboard;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import zdm.protocol.Request;
import zdm.protocol.Response;

/**
 * The buttons of the page: each becomes the request the matching {@code zdm} command sends, run on
 * a thread of its own over the control socket; its progress lines (a reload's steps: which worker
 * starts, is ready, drains, stops) and its outcome go to every open page. Thread-safe.
 */
final class Actions {
    /** What a page posts: {@code {"action": "reload", "app": "web"}}, plus {@code instances} for scale. */
    record Posted(String action, String app, Integer instances) {}

    record Progress(long op, String action, String app, String line) {}

    record Outcome(long op, String action, String app, boolean ok, String message) {}

    private final ControlLink link;
    private final LiveFeed feed;
    private final AtomicLong ops = new AtomicLong();

    Actions(ControlLink link, LiveFeed feed) {
        this.link = link;
        this.feed = feed;
    }

    /** The request for a posted action, or null with {@code why} filled when it is not one. */
    static Request request(Posted p, StringBuilder why) {
        if (p == null || p.action() == null || p.app() == null || p.app().isBlank()) {
            why.append("expected {\"action\": \"reload\", \"app\": \"<name>\"}");
            return null;
        }
        return switch (p.action()) {
            case "reload" -> new Request.Reload(p.app());
            case "restart" -> new Request.Restart(p.app());
            case "stop" -> new Request.Stop(p.app());
            case "start" -> new Request.StartApps(p.app());
            case "scale" -> {
                if (p.instances() == null) {
                    why.append("scale needs \"instances\"");
                    yield null;
                }
                yield new Request.Scale(p.app(), p.instances());
            }
            default -> {
                why.append("unknown action '").append(p.action()).append("'; one of reload, restart, stop, start, scale");
                yield null;
            }
        };
    }

    /** Starts the request; returns its operation number, which the page's progress and outcome messages carry. */
    long run(Posted p, Request request) {
        long op = ops.incrementAndGet();
        Thread.ofVirtual().name("zdm-dashboard-action").start(() -> {
            Outcome outcome;
            try {
                var answer = link.call(request, r -> {
                    if (r instanceof Response.Progress line) feed.broadcast("progress", new Progress(op, p.action(), p.app(), line.line()));
                });
                outcome = switch (answer) {
                    case Response.Failed f -> new Outcome(op, p.action(), p.app(), false,
                            f.message() + (f.details().isEmpty() ? "" : "\n" + String.join("\n", f.details())));
                    case Response.Apps a -> new Outcome(op, p.action(), p.app(), true, a.message() == null ? "done" : a.message());
                    case Response.Done d -> new Outcome(op, p.action(), p.app(), true, d.message() == null ? "done" : d.message());
                    default -> new Outcome(op, p.action(), p.app(), true, "done");
                };
            } catch (IOException e) {
                outcome = new Outcome(op, p.action(), p.app(), false, "the daemon did not answer: " + e.getMessage());
            }
            feed.broadcast("done", outcome);
        });
        return op;
    }

    static Map<String, Object> accepted(long op) {
        return Map.of("op", op);
    }
}
