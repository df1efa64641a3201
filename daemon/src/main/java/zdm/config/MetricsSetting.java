package zdm.config;

import java.util.regex.Pattern;
import zdm.config.Node.Scalar;

/**
 * The ecosystem file's top-level {@code metrics:} key: where the daemon serves its Prometheus text
 * endpoint, or that it should not. A file without the key leaves the daemon's endpoint as it is.
 * Immutable.
 */
public sealed interface MetricsSetting {

    /** Serve {@code GET /metrics} on host:port. The host is loopback unless the file names another one. */
    record Listen(String host, int port) implements MetricsSetting {
        /** {@code 127.0.0.1:9209}, {@code [::1]:9209}. */
        public String display() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** {@code metrics: off}: stop serving. */
    record Off() implements MetricsSetting {}

    String LOOPBACK = "127.0.0.1";

    /** Letters, digits, '.', '-' (names and IPv4) or an IPv6 literal's hex digits and ':'. */
    Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:.]{2,45}");
    Pattern DIGITS = Pattern.compile("\\d{1,5}");

    /** Reads the value of {@code metrics:}; null after reporting a problem. */
    static MetricsSetting read(Node node, Problems.At at) {
        String expected = "expected a port (metrics: 9209, served on 127.0.0.1), host:port"
                + " (metrics: 0.0.0.0:9209) or off, got " + Node.describe(node);
        if (!(node instanceof Scalar s) || s.value() == null) return at.fail(node, expected);
        if (Boolean.FALSE.equals(s.value()) || "off".equals(s.value())) return new Off();
        return listen(node, at, expected);
    }

    /** A port (served on 127.0.0.1) or host:port; null after reporting {@code expected} or a sharper problem. */
    static Listen listen(Node node, Problems.At at, String expected) {
        if (!(node instanceof Scalar s) || s.value() == null) return at.fail(node, expected);
        if (s.value() instanceof Number) return port(s.text(), node, at, LOOPBACK, expected);
        if (!(s.value() instanceof String text)) return at.fail(node, expected);
        if (DIGITS.matcher(text).matches()) return port(text, node, at, LOOPBACK, expected);
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) return at.fail(node, expected);
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            return at.fail(node, "write an IPv6 address in brackets ([::1]:9209), got " + Node.describe(node));
        }
        if (!HOST.matcher(host).matches()) return at.fail(node, "invalid host " + Suggestions.quote(host) + "; " + expected);
        return port(text.substring(colon + 1), node, at, host, expected);
    }

    private static Listen port(String digits, Node node, Problems.At at, String host, String expected) {
        if (!DIGITS.matcher(digits).matches()) return at.fail(node, expected);
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65_535) return at.fail(node, "expected a port from 1 to 65535, got " + digits);
        return new Listen(host, port);
    }
}
