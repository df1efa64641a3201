// A Jetty 12 server for zdm, both listen modes. listen: socket with socket_fd: 0: the shared socket is
// stdin, which System.inheritedChannel() returns and setInheritChannel(true) adopts; listen: proxy:
// no inherited channel, so the connector binds the private PORT. On SIGTERM (the shutdown hook): stop
// accepting, answer Connection: close for about a second (a keep-alive client's next request gets an
// answer, then it reconnects to another worker), then stop, which finishes the requests in flight.
package example;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

public class JettyWeb {
    public static void main(String[] args) throws Exception {
        var server = new Server();
        var connector = new ServerConnector(server);
        connector.setInheritChannel(true); // used when System.inheritedChannel() is a listening socket
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(System.getenv("PORT")));
        server.addConnector(connector);
        var stopping = new AtomicBoolean();
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (stopping.get()) response.getHeaders().put(HttpHeader.CONNECTION, "close");
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, "jetty pid " + ProcessHandle.current().pid() + "\n", callback);
                return true;
            }
        });
        server.setStopTimeout(5000);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            connector.setAccepting(false); // the other workers keep taking connections from the queue
            try {
                Thread.sleep(1000);
                server.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println("listening on " + connector.getLocalPort());
        server.join();
    }
}
