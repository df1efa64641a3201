package zdm.config;

import java.util.List;
import zdm.config.Node.Mapping;
import zdm.config.Node.Scalar;

/**
 * The ecosystem file's top-level {@code dashboard:} block: where the daemon serves its web page, or
 * that it should not. A file without the block leaves the daemon's dashboard as it is (off unless a
 * file or {@code zdm dashboard --enable} turned it on). Only a loopback address is accepted: the page
 * speaks plain HTTP, so its token and cookie must not cross a network in clear. Immutable.
 */
public sealed interface DashboardSetting {
    int DEFAULT_PORT = 9210;
    List<String> KEYS = List.of("enabled", "listen");

    /** Serve the page on host:port (a loopback address). */
    record Listen(String host, int port) implements DashboardSetting {
        public static Listen byDefault() {
            return new Listen(MetricsSetting.LOOPBACK, DEFAULT_PORT);
        }

        /** {@code 127.0.0.1:9210}, {@code [::1]:9210}. */
        public String display() {
            return new MetricsSetting.Listen(host, port).display();
        }
    }

    /** {@code dashboard: off} or {@code enabled: false}: stop serving. */
    record Off() implements DashboardSetting {}

    /** Reads the value of {@code dashboard:}; null after reporting a problem. */
    static DashboardSetting read(Node node, Problems.At at) {
        if (node instanceof Scalar s && (Boolean.FALSE.equals(s.value()) || "off".equals(s.value()))) return new Off();
        if (!(node instanceof Mapping m)) {
            return at.fail(node, "expected a block (dashboard: {listen: 127.0.0.1:9210}) or off, got " + Node.describe(node));
        }
        boolean ok = true;
        for (var e : m.entries().values()) {
            if (!KEYS.contains(e.key())) {
                at.child("." + e.key()).fail(e.value(), "unknown key" + Suggestions.didYouMean(e.key(), KEYS)
                        + "; the dashboard: block takes " + String.join(", ", KEYS));
                ok = false;
            }
        }
        var enabled = m.entries().get("enabled");
        if (enabled != null && !(enabled.value() instanceof Scalar s && s.value() instanceof Boolean)) {
            return at.child(".enabled").fail(enabled.value(), "expected true or false, got " + Node.describe(enabled.value()));
        }
        Listen listen = Listen.byDefault();
        var written = m.entries().get("listen");
        if (written != null) {
            var where = at.child(".listen");
            var l = MetricsSetting.listen(written.value(), where, "expected a port (listen: 9210, served on 127.0.0.1)"
                    + " or a loopback host:port (listen: 127.0.0.1:9210), got " + Node.describe(written.value()));
            if (l == null) return null;
            if (!isLoopback(l.host())) return where.fail(written.value(), notLoopback(l.host(), l.port()));
            listen = new Listen(l.host(), l.port());
        }
        if (!ok) return null;
        if (enabled != null && Boolean.FALSE.equals(((Scalar) enabled.value()).value())) return new Off();
        return listen;
    }

    /** 127.0.0.0/8, ::1 or localhost: names other than localhost are not resolved (they could point anywhere). */
    public static boolean isLoopback(String host) {
        if (host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) return true;
        var parts = host.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (var p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    /** The refusal, with the two safe ways to reach the page from another machine. */
    public static String notLoopback(String host, int port) {
        return host + " is not a loopback address, and the dashboard speaks plain HTTP (its token and cookie would"
                + " cross the network in clear); keep it on 127.0.0.1 and reach it through an SSH tunnel"
                + " (ssh -L " + port + ":127.0.0.1:" + port + " <this host>, then open the link of 'zdm dashboard')"
                + " or a reverse proxy with TLS on this machine that forwards to 127.0.0.1:" + port;
    }
}
