package zdm.supervisor;

import java.util.ArrayList;
import java.util.Collection;
import zdm.net.Backend;
import zdm.net.PortListener;
import zdm.net.PublicPort;

/**
 * An app's public port for its whole life: a proxy ({@link PortListener}), or the socket its workers share
 * (listen: socket); and, for a proxy, its rotation (the workers that get new connections). Owned by its
 * {@link App}, confined to the {@link SupervisionLoop}.
 */
final class AppPort {
    private PublicPort port;
    private int nextBackendKey = 1;

    PublicPort get() { return port; }

    /** The proxy of a listen: proxy app, else null. */
    PortListener listener() { return port instanceof PortListener l ? l : null; }

    /** A key no other process of this app had, so the proxy never mixes a replaced worker's connections with its successor's. */
    int takeBackendKey() { return nextBackendKey++; }

    /** Takes {@code l} as the port, closing a different one held before. */
    void adopt(PublicPort l) {
        if (port != null && port != l) port.close();
        port = l;
    }

    /**
     * The proxy's rotation: each serving worker, and each candidate of a running {@code reload}, that is online
     * (a candidate in its stability window), answers its probes and did not announce a stop.
     */
    void rotate(Collection<Worker> serving, RollingReload reload) {
        if (!(port instanceof PortListener listener)) return; // a shared socket has no rotation: workers accept
        var all = new ArrayList<>(serving);
        if (reload != null) all.addAll(reload.candidates());
        var ready = new ArrayList<Backend>();
        for (var w : all) {
            if (w.state() instanceof WorkerState.Online && !w.unresponsive() && !w.announcedStop()) {
                ready.add(new Backend(w.backendKey(), w.privatePort()));
            }
        }
        listener.setBackends(ready);
    }

    /** Closes the port, if open. */
    void close() {
        if (port != null) {
            port.close();
            port = null;
        }
    }
}
