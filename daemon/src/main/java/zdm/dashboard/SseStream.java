package zdm.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One server-sent-events response: {@code event:}/{@code data:} records written and flushed as they
 * come. Used by one thread (the exchange's own); a write that fails means the browser left.
 */
final class SseStream {
    private final OutputStream out;

    SseStream(HttpExchange ex) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "text/event-stream; charset=utf-8");
        h.set("Cache-Control", "no-store");
        h.set("X-Accel-Buffering", "no"); // a reverse proxy in front must not hold the stream back
        ex.sendResponseHeaders(200, 0);
        this.out = ex.getResponseBody();
    }

    /** {@code data} is one line of JSON (JSON never needs a raw newline). */
    void send(String event, String data) throws IOException {
        out.write(("event: " + event + "\ndata: " + data.replace("\n", "\ndata: ") + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A comment line: keeps proxies from timing the stream out and finds a browser that left. */
    void ping() throws IOException {
        out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
