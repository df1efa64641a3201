package zdm.dashboard;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import zdm.protocol.ProtocolException;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/**
 * The dashboard asks the daemon what the CLI asks, the way the CLI asks it: a request over the
 * control socket, answered by the same {@code RequestHandler} (same checks, same progress lines,
 * same events with the asking uid). So the page reads the snapshots {@code zdm ls} reads and acts
 * as {@code zdm reload} acts, and nothing of it sits on the supervision loop's path. Stateless.
 */
final class ControlLink {
    private final Path socket;

    ControlLink(Path socket) {
        this.socket = socket;
    }

    /** One request on its own connection; {@link Exchange#next} reads its answers. */
    Exchange open(Request request) throws IOException {
        var ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Wire.send(ch, request);
            return new Exchange(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Sends {@code request}, hands each partial answer to {@code partial} and returns the final one. */
    Response call(Request request, java.util.function.Consumer<Response> partial) throws IOException {
        try (var ex = open(request)) {
            for (Response r = ex.next(); r != null; r = ex.next()) {
                if (r.isFinal()) return r;
                partial.accept(r);
            }
            throw new IOException("the daemon closed the connection without an answer");
        }
    }

    /** The answers to one request; closing it (from any thread) ends a follow. */
    static final class Exchange implements AutoCloseable {
        private final SocketChannel ch;

        private Exchange(SocketChannel ch) {
            this.ch = ch;
        }

        /** The next answer, or null once the daemon closed the connection. */
        Response next() throws IOException {
            try {
                byte[] frame = Wire.readFrame(ch);
                return frame == null ? null : Wire.decodeResponse(frame);
            } catch (ProtocolException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }
}
