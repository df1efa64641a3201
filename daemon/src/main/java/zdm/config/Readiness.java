package zdm.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * When a spawned worker counts as ready (the {@code ready:} key). Spawned is not ready: a worker
 * gets traffic and an old worker is retired only after this check passes, within {@code listen_timeout}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Readiness.Tcp.class, name = "tcp"),
        @JsonSubTypes.Type(value = Readiness.Http.class, name = "http"),
        @JsonSubTypes.Type(value = Readiness.Log.class, name = "log"),
        @JsonSubTypes.Type(value = Readiness.Delay.class, name = "delay"),
        @JsonSubTypes.Type(value = Readiness.Uptime.class, name = "uptime"),
        @JsonSubTypes.Type(value = Readiness.Notify.class, name = "notify"),
        @JsonSubTypes.Type(value = Readiness.Message.class, name = "message"),
        @JsonSubTypes.Type(value = Readiness.Listening.class, name = "listening"),
})
public sealed interface Readiness {
    /** The worker's private PORT accepts a TCP connection (the default for an app with a port). */
    record Tcp() implements Readiness {}

    /** A GET of {@code path} on the worker's private PORT answers 2xx. */
    record Http(String path) implements Readiness {}

    /** A line of the worker's stdout matches {@code pattern} (a Java regex, found anywhere in the line). */
    record Log(String pattern) implements Readiness {}

    /** The worker is alive {@code ms} after it was spawned. */
    record Delay(long ms) implements Readiness {}

    /** The worker has stayed up for {@code min_uptime} (the default for an app without a port). */
    record Uptime() implements Readiness {}

    /**
     * The worker sends {@code READY=1} to the Unix datagram socket named by {@code NOTIFY_SOCKET}
     * (systemd's sd_notify protocol).
     */
    record Notify() implements Readiness {}

    /**
     * A Node worker calls {@code process.send('ready')} (pm2's {@code wait_ready}); zdm's preload, loaded into its
     * node processes, tells the daemon.
     */
    record Message() implements Readiness {}

    /**
     * A Node worker in socket mode emits {@code listening} on the shared socket, which zdm's preload turns its
     * {@code listen(PORT)} into, and the preload tells the daemon: the seed's own signal, as in pm2's cluster
     * mode. The default of {@code listen: auto} when it chooses socket mode; not written in a file.
     */
    record Listening() implements Readiness {}

    /** How long a socket-mode worker must stay up when no ready: is given: it cannot be probed. */
    long SOCKET_MODE_DEFAULT_DELAY_MS = 1_000;

    static Readiness defaultFor(Integer port) {
        return defaultFor(port, Listen.PROXY);
    }

    /** Socket mode has no private port to probe, so it waits a fixed delay unless told otherwise. */
    static Readiness defaultFor(Integer port, Listen listen) {
        if (listen == Listen.SOCKET) return new Delay(SOCKET_MODE_DEFAULT_DELAY_MS);
        return port != null ? new Tcp() : new Uptime();
    }
}
