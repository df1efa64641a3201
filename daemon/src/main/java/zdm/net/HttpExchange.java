package zdm.net;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Relays one request and its response over one backend connection: sends the head (and a buffered body, or starts a
 * {@link RequestBodyPump}), forwards interim 1xx responses, then the final response head as received and its body as
 * framed. Nothing here decides where the request goes; {@link HttpConnection} does, using the {@link Outcome}. Not
 * thread-safe: used by one client connection's thread.
 */
final class HttpExchange {
    /** A worker's response head larger than this is refused (502): a worker sending more is broken. */
    static final int MAX_RESPONSE_HEAD_BYTES = 64 * 1024;

    /**
     * A request ready to send.
     *
     * @param bytes        the head as the backend gets it
     * @param bufferedBody length of a body already complete in the client's buffer (sent from there, and consumed by
     *                     the caller only once a response arrived, so a retry can send it again); 0 for none; -1
     *                     when the body has to be streamed
     */
    record Request(HttpHead head, byte[] bytes, HttpFraming framing, long bufferedBody) {}

    sealed interface Outcome {
        /** The final response was relayed; says which side may carry another request. */
        record Completed(boolean backendReusable, boolean clientReusable) implements Outcome {}

        /**
         * The backend failed before a final response head; only interim responses may have reached the client.
         * {@code nothingReceived}: not one response byte arrived, so the backend cannot have processed the request
         * far enough to answer it (a reused connection the server had just closed, a worker that died).
         */
        record NoResponse(boolean nothingReceived) implements Outcome {}

        /** A 101 or a successful CONNECT was relayed: from here on the connection is a byte tunnel. */
        record Upgraded() implements Outcome {}

        /** The client's request body broke its framing before a response head arrived: the client gets 400. */
        record MalformedBody() implements Outcome {}
    }

    private final SocketChannel client;
    private final Inbound fromClient;
    private final Inbound fromBackend;
    private final String threadName;
    private final ClientTimer timer;

    HttpExchange(SocketChannel client, Inbound fromClient, Inbound fromBackend, String threadName, ClientTimer timer) {
        this.timer = timer;
        this.client = client;
        this.fromClient = fromClient;
        this.fromBackend = fromBackend;
        this.threadName = threadName;
    }

    /**
     * Once the request is sent, and until the relay returns, the client is not read by anyone but {@code watch} (if
     * the timer starts it), which the caller stops with {@link ClientTimer#doneWaiting()}.
     *
     * @throws IOException once the response has started: the client connection cannot continue
     */
    Outcome relay(Request request, SocketChannel backend, AbortWatch watch) throws IOException, InterruptedException {
        fromBackend.clear();
        try {
            var head = ByteBuffer.wrap(request.bytes());
            while (head.hasRemaining()) backend.write(head);
            if (request.bufferedBody() > 0) fromClient.copyTo(backend, (int) request.bufferedBody());
        } catch (IOException e) {
            return new Outcome.NoResponse(true);
        }
        Runnable waiting = () -> timer.waitingForResponse(watch);
        var pump = request.bufferedBody() < 0
                ? RequestBodyPump.start(request.framing(), fromClient, client, backend, threadName, waiting) : null;
        if (pump == null) waiting.run();
        boolean interimRelayed = false;
        while (true) {
            int headBytes;
            HttpHead response;
            HttpFraming framing;
            try {
                headBytes = fromBackend.readHead(backend, MAX_RESPONSE_HEAD_BYTES);
                if (headBytes < 0) return noResponse(pump, !interimRelayed);
                response = HttpHead.parseResponse(fromBackend.array(), fromBackend.position(), headBytes);
                framing = HttpFraming.ofResponse(response, request.head());
            } catch (ProtocolException e) {
                return new Outcome.NoResponse(false); // a broken backend: answering 502 beats guessing
            } catch (IOException e) {
                return noResponse(pump, !interimRelayed && fromBackend.available() == 0);
            }
            int status = response.status();
            fromBackend.forward(client, headBytes); // written with the body, or before the next read
            if (status == 101 || (request.head().isConnect() && status >= 200 && status < 300)) {
                fromBackend.flush();
                if (pump != null && !pump.join()) throw new IOException("request body failed before the upgrade");
                return new Outcome.Upgraded();
            }
            if (status < 200) { // 100 Continue, 103 Early Hints: the final response follows on the same connection
                interimRelayed = true;
                continue;
            }
            BodyCopier.copy(framing, fromBackend, backend, client, false);
            boolean untilClose = framing instanceof HttpFraming.UntilClose;
            boolean backendReusable = !untilClose && !response.closesConnection() && !request.head().closesConnection()
                    && fromBackend.available() == 0;
            if (pump != null) {
                // Answered without the body after "Expect: 100-continue": the client may never send it, so where its
                // next request starts is unknown. Closing both is the safe end (RFC 9110 §10.1.1).
                if (!pump.started() && request.head().expectsContinue()) return new Outcome.Completed(false, false);
                if (!pump.join()) return new Outcome.Completed(false, false);
            }
            // A worker that closes after this response (Connection: close, or HTTP/1.0) ends the client's connection
            // too, as it would without the proxy: the client was told so by the head it got.
            return new Outcome.Completed(backendReusable, !untilClose && !response.closesConnection());
        }
    }

    /** The pump closes the backend when the client's body is malformed, so a relay that failed may owe that a 400. */
    private static Outcome noResponse(RequestBodyPump pump, boolean nothingReceived) {
        return pump != null && pump.malformed() ? new Outcome.MalformedBody() : new Outcome.NoResponse(nothingReceived);
    }
}
