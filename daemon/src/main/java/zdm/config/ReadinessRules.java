package zdm.config;

import static zdm.config.AppKey.*;

import java.util.Map;
import java.util.function.Function;

/**
 * The rules between {@code ready}, {@code listen_timeout}, {@code protocol}, {@code port} and
 * {@code min_uptime}. A value that was written but is invalid has been reported already and is
 * skipped here, so one mistake gives one message. Stateless.
 */
final class ReadinessRules {

    private ReadinessRules() {}

    /**
     * @param nodes  the keys written, with their values as written
     * @param values the keys read successfully
     * @param at     where to report a problem with a key
     */
    static void check(Map<AppKey, Node> nodes, Map<AppKey, Object> values, Function<AppKey, Problems.At> at) {
        var keys = new ReadKeys(nodes, values, at);
        if (Listen.SOCKET.key().equals(values.get(LISTEN))) checkSocketMode(keys);
        if (!nodes.containsKey(PORT)) {
            if (values.get(READY) instanceof Readiness.Tcp) {
                keys.fail(READY, "ready: tcp needs a port; set port: or use ready: log/delay");
            } else if (values.get(READY) instanceof Readiness.Http) {
                keys.fail(READY, "ready: http needs a port; set port: or use ready: log/delay");
            }
            if (values.containsKey(PROTOCOL)) {
                keys.fail(PROTOCOL, "protocol needs a port; set port: or remove protocol:");
            }
        }
        checkReachableInTime(keys);
    }

    /**
     * In socket mode the workers accept on the shared public socket: there is no private port to
     * probe, and no proxy to speak a protocol.
     */
    private static void checkSocketMode(ReadKeys keys) {
        // listen: auto (or no listen:) chose socket mode for a Node app without a port: it learns the port (ListenAuto).
        if (!keys.nodes().containsKey(PORT) && !chosenByAuto(keys)) {
            keys.fail(LISTEN, "listen: socket needs a port (the socket the workers share); set port: or use listen: proxy");
        }
        if (keys.values().get(READY) instanceof Readiness.Tcp) {
            keys.fail(READY, "ready: tcp probes a worker's private port, which listen: socket does not have;"
                    + " use ready: notify, {log: regex} or {delay: 2s}");
        } else if (keys.values().get(READY) instanceof Readiness.Http) {
            keys.fail(READY, "ready: http probes a worker's private port, which listen: socket does not have;"
                    + " use ready: notify, {log: regex} or {delay: 2s}");
        }
        if (keys.nodes().containsKey(PROTOCOL)) {
            keys.fail(PROTOCOL, "protocol is only for listen: proxy (the daemon does not read the traffic in socket"
                    + " mode); remove protocol:");
        }
    }

    /** listen: is not written, or written as auto: the mode was chosen by {@link ListenAuto}. */
    private static boolean chosenByAuto(ReadKeys keys) {
        return !(keys.nodes().get(LISTEN) instanceof Node.Scalar written)
                || Listen.AUTO.key().equals(String.valueOf(written.value()));
    }

    /**
     * A delay that is not shorter than listen_timeout could never be met: every start would fail.
     * (ready: uptime has no deadline: min_uptime ≥ listen_timeout, common in pm2 files, is fine.)
     */
    private static void checkReachableInTime(ReadKeys keys) {
        if (!keys.valid(READY) || !keys.valid(LISTEN_TIMEOUT) || !keys.valid(MIN_UPTIME) || !keys.valid(PORT)) return;
        long timeout = keys.get(LISTEN_TIMEOUT);
        if (!keys.valid(LISTEN)) return;
        // Socket mode chosen by listen: auto is ready at the listening event (AppValidator), not after a delay.
        if (!keys.values().containsKey(READY) && Listen.SOCKET.key().equals(keys.values().get(LISTEN)) && chosenByAuto(keys)) return;
        Readiness ready = keys.values().containsKey(READY) ? keys.get(READY)
                : Readiness.defaultFor(keys.get(PORT), Listen.of(keys.get(LISTEN)));
        String timeoutText = Durations.format(timeout) + ", the default";
        switch (ready) {
            case Readiness.Delay d when d.ms() >= timeout -> {
                if (keys.nodes().containsKey(LISTEN_TIMEOUT) || !keys.nodes().containsKey(READY)) {
                    keys.fail(LISTEN_TIMEOUT, "must be longer than the ready: delay (" + Durations.format(d.ms())
                            + "), or no worker could ever be ready in time");
                } else {
                    keys.fail(READY, "delay " + Durations.format(d.ms()) + " must be shorter than listen_timeout ("
                            + timeoutText + "), or no worker could ever be ready in time; set listen_timeout longer");
                }
            }
            default -> {}
        }
    }
}
