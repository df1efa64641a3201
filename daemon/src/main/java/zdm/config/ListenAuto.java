package zdm.config;

import static zdm.config.AppKey.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code listen: auto}: socket mode for a Node app, whose workers then share the port's socket as
 * pm2's cluster module shares it (zdm's preload turns the app's own {@code listen(PORT)} into an
 * accept on the inherited fd 3: no proxy hop); the proxy for everything else. Node only when node
 * itself is the program zdm starts (the preload needs LISTEN_PID to be that process: not through
 * npm or a shell). An app that asks for something only the proxy does (protocol, ready: tcp or http,
 * liveness probes, the proxy's limits) keeps the proxy. A Node app without {@code port:} learns the port of its
 * own {@code listen()} ({@link NetworkSpec#learnsPort}). Stateless.
 */
final class ListenAuto {
    private static final Set<String> NODE = Set.of("node", "nodejs");
    /** Keys that only mean something behind the proxy. */
    private static final List<AppKey> PROXY_ONLY = List.of(PROTOCOL, HEAD_TIMEOUT, KEEPALIVE_TIMEOUT, MAX_HEAD_SIZE,
            MAX_CONNECTIONS, BODY_TIMEOUT, MAX_CONNECTIONS_PER_ADDRESS, SEND_TIMEOUT);

    private ListenAuto() {}

    /** The mode {@code listen: auto} stands for, given the app's argv (null: invalid) and its keys. */
    static String choose(List<String> command, Map<AppKey, Node> nodes, Map<AppKey, Object> values) {
        boolean node = command != null && !command.isEmpty()
                && NODE.contains(String.valueOf(Path.of(command.getFirst()).getFileName()));
        boolean proxyAsked = PROXY_ONLY.stream().anyMatch(nodes::containsKey)
                || values.get(READY) instanceof Readiness.Tcp || values.get(READY) instanceof Readiness.Http
                || values.get(LIVENESS_INTERVAL) instanceof Long ms && ms > 0 && !Liveness.WATCHDOG.key().equals(values.get(LIVENESS));
        // Without a port a Node app still gets socket mode: the preload learns the port its listen() asks for
        // (NetworkSpec.learnsPort); one that never listens is not affected. Not with increment_var and no port: each
        // worker then listens on a port of its own (pm2's increment_var: PORT), which one shared socket cannot be.
        boolean ownPorts = nodes.containsKey(INCREMENT_VAR) && !nodes.containsKey(PORT);
        return node && !proxyAsked && !ownPorts ? Listen.SOCKET.key() : Listen.PROXY.key();
    }
}
