package zdm.net;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * One of the daemon's small HTTP servers (the metrics endpoint, the dashboard): the JDK's
 * {@code com.sun.net.httpserver}, a virtual thread per request, replaced as a whole when its address
 * changes. A new address is bound before the old server stops, so a failed bind leaves the old one
 * serving. It remembers the setting it serves ({@code S}: the owner's address record), so that an
 * unchanged setting is no rebind. Not thread-safe: its owner serialises changes.
 */
public final class HttpListener<S> {
    private HttpServer server;
    private ExecutorService executor;
    private S serving;

    /**
     * Serves {@code handler} (made for the port actually bound) at every path of host:port, for
     * {@code setting}, instead of the current server; returns null, or the bind failure's message (the
     * current server then stays).
     */
    public String replace(S setting, String host, int port, IntFunction<HttpHandler> handler) {
        HttpServer next;
        try {
            next = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            return e.getMessage();
        }
        ExecutorService nextExecutor = Executors.newVirtualThreadPerTaskExecutor();
        next.createContext("/", handler.apply(next.getAddress().getPort()));
        next.setExecutor(nextExecutor);
        stop();
        next.start();
        server = next;
        executor = nextExecutor;
        serving = setting;
        return null;
    }

    /** The setting being served, or null when not serving. */
    public S serving() {
        return serving;
    }

    /** The bound port, or -1 when not serving. */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** Closes the socket and interrupts what is being served (long-lived streams included). */
    public void stop() {
        if (server != null) server.stop(0);
        if (executor != null) executor.shutdownNow();
        server = null;
        executor = null;
        serving = null;
    }
}
