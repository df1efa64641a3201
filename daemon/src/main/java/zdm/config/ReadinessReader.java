package zdm.config;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import zdm.config.Node.Mapping;
import zdm.config.Node.Scalar;
import zdm.config.Problems.At;

/**
 * Reads the {@code ready:} key: {@code tcp}, {@code uptime}, or a mapping with exactly one of
 * {@code http: /path}, {@code log: regex}, {@code delay: 2s}. Whether the app has the port that
 * tcp/http need is checked in {@link AppValidator}, which sees all keys. Stateless.
 */
final class ReadinessReader {

    static final List<String> PLAIN = List.of("tcp", "uptime", "notify", "message");
    static final List<String> WITH_VALUE = List.of("http", "log", "delay");
    private static final String EXPECTED = "expected tcp, uptime, notify, message, or a mapping with one of http: /path, log: regex"
            + " or delay: duration";
    /** The same bound as listen_timeout: a longer delay could never be met. */
    private static final AppKey.Reader DELAY = NumberReaders.duration(3_600_000);

    private ReadinessReader() {}

    static Readiness read(Node node, At at) {
        return switch (node) {
            case Scalar s when s.value() instanceof String word -> plain(word, node, at);
            case Mapping m -> withValue(m, at);
            default -> at.fail(node, EXPECTED + ", got " + Node.describe(node));
        };
    }

    private static Readiness plain(String word, Node node, At at) {
        return switch (word) {
            case "tcp" -> new Readiness.Tcp();
            case "uptime" -> new Readiness.Uptime();
            case "notify" -> new Readiness.Notify();
            case "message" -> new Readiness.Message();
            case "http" -> at.fail(node, "ready: http needs a path; write ready: {http: /health}");
            case "log" -> at.fail(node, "ready: log needs a pattern; write ready: {log: \"listening on\"}");
            case "delay" -> at.fail(node, "ready: delay needs a duration; write ready: {delay: 2s}");
            default -> at.fail(node, EXPECTED + ", got " + Node.describe(node) + suggestion(word));
        };
    }

    private static Readiness withValue(Mapping map, At at) {
        if (map.entries().isEmpty()) return at.fail(map, EXPECTED + ", got an empty mapping");
        Readiness result = null;
        String first = null;
        boolean ok = true;
        for (var entry : map.entries().values()) {
            String kind = entry.key();
            At kindAt = at.child("." + kind);
            if (!WITH_VALUE.contains(kind)) {
                ok = false;
                String hint = PLAIN.contains(kind) ? "; write ready: " + kind + " (a plain value, not a mapping)"
                        : suggestion(kind);
                at.problems().add(entry.keyPos(), kindAt.path(), "unknown kind; use http:, log: or delay:" + hint);
                continue;
            }
            if (first != null) {
                ok = false;
                at.problems().add(entry.keyPos(), kindAt.path(),
                        "only one of http:, log: or delay: at a time (" + first + ": is already given)");
                continue;
            }
            first = kind;
            result = switch (kind) {
                case "http" -> http(entry.value(), kindAt);
                case "log" -> log(entry.value(), kindAt);
                case "delay" -> {
                    Object ms = DELAY.read(entry.value(), kindAt);
                    yield ms == null ? null : new Readiness.Delay((Long) ms);
                }
                default -> throw new IllegalStateException(kind);
            };
        }
        return ok ? result : null;
    }

    private static Readiness http(Node node, At at) {
        String path = ValueReaders.text(node, at);
        if (path == null) return null;
        if (!path.startsWith("/")) {
            return at.fail(node, "expected a path starting with /, like /health, got " + Node.describe(node));
        }
        // The path goes verbatim into the request line; anything that would end or split it is refused.
        if (path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return at.fail(node, "must not contain spaces or control characters; percent-encode them (%20)");
        }
        return new Readiness.Http(path);
    }

    private static Readiness log(Node node, At at) {
        String regex = ValueReaders.text(node, at);
        if (regex == null) return null;
        if (regex.isEmpty()) {
            return at.fail(node, "must not be empty (it would match any line); write text that the worker prints"
                    + " when it is ready");
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            String near = e.getIndex() >= 0 ? " at index " + e.getIndex() : "";
            return at.fail(node, "invalid regular expression: " + e.getDescription() + near
                    + " (a Java regex; escape special characters with \\)");
        }
        return new Readiness.Log(regex);
    }

    private static String suggestion(String word) {
        return Suggestions.didYouMean(word, List.of("tcp", "uptime", "notify", "message", "http", "log", "delay"));
    }
}
