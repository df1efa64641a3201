package zdm.net;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.channels.SocketChannel;

/**
 * Streams a request body from the client to the backend on its own virtual thread, while the client connection's
 * thread already waits for the response: a backend may answer before the body is complete (an early error) or ask
 * for it first (100-continue), and the client may wait for that interim response before sending the body. Owns the
 * client's {@link Inbound} until {@link #join()} returns. On failure it closes the backend channel, which ends the
 * response relay too. Thread-safe.
 */
final class RequestBodyPump {
    /** A body streams through the client's buffer: this much lets it move in large reads and writes. */
    private static final int BODY_BUFFER_BYTES = 16 * 1024;

    private final Thread thread;
    private volatile boolean started;
    private volatile boolean failed;
    private volatile boolean malformed;

    private RequestBodyPump(HttpFraming framing, Inbound fromClient, SocketChannel client, SocketChannel backend,
                            String threadName, Runnable whenSent) {
        thread = Thread.ofVirtual().name(threadName + "-body")
                .unstarted(() -> pump(framing, fromClient, client, backend, whenSent));
    }

    /** @param whenSent called once the whole body was forwarded (the client is not read again until the response) */
    static RequestBodyPump start(HttpFraming framing, Inbound fromClient, SocketChannel client, SocketChannel backend,
                                 String threadName, Runnable whenSent) {
        var pump = new RequestBodyPump(framing, fromClient, client, backend, threadName, whenSent);
        pump.thread.start();
        return pump;
    }

    private void pump(HttpFraming framing, Inbound fromClient, SocketChannel client, SocketChannel backend,
                      Runnable whenSent) {
        try {
            if (fromClient.available() == 0 && fromClient.fill(client) < 0) {
                throw new EOFException("client closed before sending the request body");
            }
            started = true;
            fromClient.reserve(BODY_BUFFER_BYTES);
            BodyCopier.copy(framing, fromClient, client, backend, true);
            whenSent.run();
        } catch (IOException e) {
            malformed = e instanceof ProtocolException;
            failed = true; // both set before the close that ends the relay, which then reads them
            try {
                backend.close();
            } catch (IOException ignored) {
                // best effort: the relay sees the channel closed either way
            }
        }
    }

    /** Whether any body byte has arrived from the client (after a 100-continue request, it may never send any). */
    boolean started() {
        return started;
    }

    /** Whether the client's body broke its framing (a bad chunk size or line end): the client gets 400. */
    boolean malformed() {
        return malformed;
    }

    /** Waits for the whole body to have been forwarded; false if that failed. */
    boolean join() throws InterruptedException {
        thread.join();
        return !failed;
    }
}
