package zdm.protocol;

import java.util.List;

/**
 * What {@code zdm ls} shows of one app.
 *
 * @param status  what the app is doing as a whole
 * @param desired what the user last asked for
 * @param port    the public port (the app's port:, or the one a Node app's listen() asked for once it is bound); null: none
 * @param listen  who accepts on the port: "proxy" (the daemon) or "socket" (the workers); null when there is no port
 */
public record AppView(String name, Status status, Desired desired, int instances, Integer port, String listen,
                      List<WorkerView> workers) {
    public AppView {
        workers = List.copyOf(workers);
    }

    /** An app seen without its listen mode (tests; a port then reads as the proxy's). */
    public AppView(String name, Status status, Desired desired, int instances, Integer port, List<WorkerView> workers) {
        this(name, status, desired, instances, port, port == null ? null : "proxy", workers);
    }

    public long onlineCount() {
        return workers.stream().filter(w -> w.state() == WorkerView.State.ONLINE).count();
    }

    /** An app's state on the wire ("running") and in {@code ls}; a new one is an incompatible protocol change. */
    public enum Status implements WireName {
        /** Every desired worker online (or a one-shot job's slot done). */
        RUNNING,
        /** Workers starting, none online yet. */
        STARTING,
        /** A rolling reload, or one worker's replacement (memory limit), is under way. */
        RELOADING,
        /** Fewer workers online than desired. */
        DEGRADED,
        /** Stopped as asked, workers still on their way down. */
        STOPPING,
        /** Stopped as asked, or a one-shot job that did its work. */
        STOPPED,
        /** A worker gave up after too many unstable restarts. */
        ERRORED;

        @Override
        public String toString() {
            return wireName();
        }
    }

    /** What the user last asked for: the app runs, or it stays stopped. */
    public enum Desired implements WireName {
        RUNNING,
        STOPPED;

        @Override
        public String toString() {
            return wireName();
        }
    }
}
