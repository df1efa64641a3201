package zdm.net;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * Notices a client that leaves while its request waits for the response, and abandons the request: the backend
 * connection is closed, so the app sees its client go as it would without the proxy (node, like most servers, drops a
 * request whose client closed or half-closed its side). Started by the {@link ClientTimer} only once a request has
 * waited a while, so a fast request costs nothing. It reads the client on its own virtual thread in short timed
 * reads (a blocking channel read cannot be called off without closing the channel), into the connection's
 * {@link Inbound}, so bytes of a pipelined next request are kept for the owner. Thread-safe.
 */
final class AbortWatch {
    /** How long the owner may have to wait for the watch to let go of the client after the response. */
    private static final int POLL_MILLIS = 100;

    private final SocketChannel client;
    private final Inbound fromClient;
    private final Runnable abandonRequest;
    private final String threadName;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean clientLeft;

    /** @param abandonRequest closes the request's backend connection; called at most once, from the watch's thread */
    AbortWatch(SocketChannel client, Inbound fromClient, Runnable abandonRequest, String threadName) {
        this.client = client;
        this.fromClient = fromClient;
        this.abandonRequest = abandonRequest;
        this.threadName = threadName;
    }

    void start(ClientTimer timer) {
        Thread.ofVirtual().name(threadName + "-watch").start(() -> run(timer));
    }

    /** Whether the client left and the request was abandoned. */
    boolean clientLeft() {
        return clientLeft;
    }

    /** Completes once the watch no longer reads the client. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    private void run(ClientTimer timer) {
        try {
            var socket = client.socket();
            socket.setSoTimeout(POLL_MILLIS);
            var in = socket.getInputStream();
            while (timer.stillWaiting()) {
                try {
                    int read = fromClient.fill(in);
                    if (read < 0) {
                        leave();
                        return;
                    }
                    if (read == 0) return; // its buffer is full of a pipelined request: nothing more to learn
                } catch (SocketTimeoutException stillThere) {
                    // the client is quiet and connected: look again unless the response is done
                }
            }
        } catch (IOException e) {
            leave(); // reset, or closed by the listener
        } finally {
            stopped.complete(null);
        }
    }

    private void leave() {
        clientLeft = true;
        abandonRequest.run();
    }
}
