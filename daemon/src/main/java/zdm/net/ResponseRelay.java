package zdm.net;

import io.netty.buffer.ByteBuf;
import java.net.ProtocolException;

/**
 * Relays a worker's response to the client as it arrives: interim 1xx responses, then the final head as received and
 * its body as framed, written without a flush (the caller flushes once per read). Stops after a 101 or a successful
 * CONNECT, whose following bytes belong to a tunnel. Stateless; the state is the {@link Exchange}'s.
 */
final class ResponseRelay {
    private ResponseRelay() {}

    /**
     * Relays what {@code exchange.fromBackend} holds, as far as it goes; sets {@code responseDone} (with the reuse
     * verdicts) once the whole response has been written.
     *
     * @throws ProtocolException if the response cannot be relayed (a malformed or too large head, bad framing)
     */
    static void relay(Exchange exchange, ClientConnection connection) throws ProtocolException {
        var client = connection.client;
        var in = exchange.fromBackend;
        int from = in.readerIndex(); // relayed and not yet written: the bytes from here to the reader index
        try {
            while (in.isReadable() && !exchange.responseDone) {
                if (exchange.responseBody == null) {
                    if (!relayHead(exchange, in, connection.heads)) return;
                    if (exchange.response == null) { // 100 Continue, 103 Early Hints: the client gets them at once
                        from = writeRelayed(in, from, connection);
                        client.flush();
                        continue;
                    }
                    if (exchange.responseBody == null) return; // an upgrade: a tunnel now
                    continue;
                }
                int bytes = exchange.responseBody.scan(in);
                in.skipBytes(bytes);
                if (exchange.responseBody.done()) completed(exchange, in);
                else if (bytes == 0) return; // part of a chunk line: wait for the rest
            }
            if (exchange.responseBody != null && exchange.responseBody.done() && !exchange.responseDone) completed(exchange, in);
        } finally {
            // One slice for everything relayed from this read (a head and its body are adjacent): one buffer to write.
            writeRelayed(in, from, connection);
        }
        if (!in.isReadable() && !exchange.responseDone) {
            in.release();
            exchange.fromBackend = null;
            exchange.responseScanned = 0;
        }
    }

    /** Writes the bytes of {@code in} from {@code from} to its reader index; returns the reader index. */
    private static int writeRelayed(ByteBuf in, int from, ClientConnection connection) {
        int length = in.readerIndex() - from;
        if (length > 0) connection.client.write(in.retainedSlice(from, length), connection.writes);
        return in.readerIndex();
    }

    /**
     * Reads a head past: an interim one (1xx: {@code response} stays null), or the final one, with its body's framing
     * (none for an upgrade). @return false if the head has not fully arrived
     */
    private static boolean relayHead(Exchange exchange, ByteBuf in, HeadCopies heads) throws ProtocolException {
        int length = Exchange.headLength(in, exchange.responseScanned);
        if (length < 0) {
            if (in.readableBytes() >= Exchange.MAX_RESPONSE_HEAD_BYTES) throw new ProtocolException("response head too large");
            exchange.responseScanned = Math.max(0, in.readableBytes() - 3);
            return false;
        }
        if (length > Exchange.MAX_RESPONSE_HEAD_BYTES) throw new ProtocolException("response head too large");
        exchange.responseScanned = 0;
        var bytes = heads.forResponse(length);
        // Read, then the reader index put back (it moves past the head once the head parsed): a pooled direct
        // buffer's getBytes makes a ByteBuffer duplicate per call, its readBytes does not.
        int at = in.readerIndex();
        in.readBytes(bytes, 0, length).readerIndex(at);
        var head = heads.responseHead().readResponse(bytes, 0, length);
        var framing = HttpFraming.ofResponse(head, exchange.request);
        in.skipBytes(length);
        int status = head.status();
        if (status == 101 || (exchange.request.isConnect() && status >= 200 && status < 300)) {
            exchange.response = head; // no body scanner: the caller turns the connection into a tunnel
            return true;
        }
        if (status < 200) return true; // the final response follows on the same connection
        exchange.response = head;
        exchange.scanResponseBody(framing);
        return true;
    }

    /**
     * A worker that closes after this response (Connection: close, or HTTP/1.0) ends the client's connection too, as
     * it would without the proxy: the client was told so by the head it got. Bytes after the response (a worker
     * talking out of turn) make its connection unusable.
     */
    private static void completed(Exchange exchange, ByteBuf in) {
        exchange.responseDone = true;
        exchange.backendReusable = !exchange.response.closesConnection() && !exchange.request.closesConnection()
                && !in.isReadable();
        exchange.clientReusable = !exchange.response.closesConnection();
    }
}
