package zdm.net;

/**
 * A worker the listener may send connections to: its id (for per-worker counts) and the private loopback port the
 * daemon assigned to it via the {@code PORT} environment variable. Immutable.
 */
public record Backend(int workerId, int port) {}
