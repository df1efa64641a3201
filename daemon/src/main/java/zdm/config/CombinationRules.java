package zdm.config;

import static zdm.config.AppKey.*;

import java.util.List;
import zdm.config.Node.Mapping;
import zdm.net.ProxyProtocol;

/**
 * The rules that involve several of an app's keys, but for its command ({@link CommandRules}):
 * backoff bounds, PORT in env, readiness ({@link ReadinessRules}), liveness, socket_fd, the proxy's
 * limits. Each problem is reported at the key that has to change.
 */
final class CombinationRules {
    private CombinationRules() {}

    static void check(ReadKeys k) {
        checkBackoffBounds(k);
        checkPortInEnv(k);
        ReadinessRules.check(k.nodes(), k.values(), k.at());
        checkLiveness(k);
        if (k.written(SOCKET_FD) && !Listen.SOCKET.key().equals(k.values().get(LISTEN))) {
            k.fail(SOCKET_FD, "is for listen: socket (the descriptor the shared socket is handed as); remove it or set listen: socket");
        }
        checkProxyLimits(k);
    }

    /** An app without port: may set PORT itself (it listens there); with port:, zdm sets each worker's PORT. */
    private static void checkPortInEnv(ReadKeys k) {
        if (!k.written(PORT) || !(k.nodes().get(ENV) instanceof Mapping env)
                || !(env.entries().get("PORT") instanceof Node.Entry var)) {
            return;
        }
        var at = k.at().apply(ENV).child(".PORT");
        at.problems().add(var.keyPos(), at.path(), "zdm sets PORT to each worker's own port when the app has a"
                + " port: (" + k.values().get(PORT) + "); remove PORT from env");
    }

    private static void checkBackoffBounds(ReadKeys k) {
        boolean delayValid = k.values().containsKey(RESTART_DELAY) || !k.written(RESTART_DELAY);
        boolean maxValid = k.values().containsKey(RESTART_DELAY_MAX) || !k.written(RESTART_DELAY_MAX);
        long delay = k.get(RESTART_DELAY);
        long max = k.get(RESTART_DELAY_MAX);
        if (!delayValid || !maxValid || delay <= max) return;
        if (k.written(RESTART_DELAY_MAX)) {
            k.fail(RESTART_DELAY_MAX, "must be at least restart_delay (" + Durations.format(delay) + "), got "
                    + Durations.format(max));
        } else {
            k.fail(RESTART_DELAY, "must be at most restart_delay_max (" + Durations.format(max)
                    + ", the default); set restart_delay_max too");
        }
    }

    /**
     * A liveness probe is an HTTP request to the worker's private PORT: it needs a port that speaks HTTP. The
     * watchdog needs none of that, only an interval; the probe's timeout and failure count mean nothing to it.
     */
    private static void checkLiveness(ReadKeys k) {
        if (Liveness.WATCHDOG.key().equals(k.values().get(LIVENESS))) {
            if (!k.values().containsKey(LIVENESS_INTERVAL) || (long) k.get(LIVENESS_INTERVAL) == 0) {
                k.fail(LIVENESS, "watchdog needs liveness_interval: the longest time allowed between two WATCHDOG=1"
                        + " (systemd's WatchdogSec); add it");
            }
            for (var probeOnly : List.of(LIVENESS_TIMEOUT, LIVENESS_FAILURES)) {
                if (k.written(probeOnly)) {
                    k.fail(probeOnly, "is for liveness: http (the probe); a watchdog fails at the first missed"
                            + " liveness_interval; remove it");
                }
            }
            return;
        }
        if (!k.values().containsKey(LIVENESS_INTERVAL) || (long) k.get(LIVENESS_INTERVAL) == 0) return;
        if (!k.written(PORT)) {
            k.fail(LIVENESS_INTERVAL, "needs port: (the probe is an HTTP request to the worker's PORT); add a port or remove it");
        } else if (Listen.SOCKET.key().equals(k.values().get(LISTEN))) {
            k.fail(LIVENESS_INTERVAL, "probes a worker's private PORT, which listen: socket does not have;"
                    + " remove liveness_interval or use listen: proxy");
        } else if (ProxyProtocol.TCP.key().equals(k.values().get(PROTOCOL))) {
            // The kernel completes a TCP handshake even for a stopped process, so only an answer proves liveness.
            k.fail(LIVENESS_INTERVAL, "needs an HTTP app (the probe waits for an HTTP answer), but protocol is tcp;"
                    + " remove liveness_interval or set protocol: http");
        }
    }

    /** The limits are the proxy's: without a port, or in socket mode (the workers accept), there is none. */
    private static void checkProxyLimits(ReadKeys k) {
        for (var key : List.of(HEAD_TIMEOUT, KEEPALIVE_TIMEOUT, MAX_HEAD_SIZE, MAX_CONNECTIONS, BODY_TIMEOUT,
                MAX_CONNECTIONS_PER_ADDRESS, SEND_TIMEOUT)) {
            if (!k.written(key)) continue;
            if (!k.written(PORT)) {
                k.fail(key, "limits the proxy on the app's port, and the app has none; set port: or remove " + key.key + ":");
            } else if (Listen.SOCKET.key().equals(k.values().get(LISTEN))) {
                k.fail(key, "is only for listen: proxy (in socket mode the workers accept, and their own limits apply);"
                        + " remove " + key.key + ":");
            }
        }
        if (k.values().get(MAX_HEAD_SIZE) instanceof Long bytes && (bytes < 1024 || bytes > 1024 * 1024)) {
            k.fail(MAX_HEAD_SIZE, "must be from 1K to 1M, got " + bytes + " bytes");
        }
    }
}
