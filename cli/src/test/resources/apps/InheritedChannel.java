// Test worker for socket_fd: 0: a JVM that gets the app's listening socket from System.inheritedChannel()
// (stdin, as under inetd or systemd's StandardInput=socket) and answers each connection with one response.
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;

public class InheritedChannel {
    public static void main(String[] args) throws Exception {
        var inherited = System.inheritedChannel();
        if (!(inherited instanceof ServerSocketChannel server)) {
            System.out.println("no listening socket inherited: " + inherited);
            System.exit(2);
            return;
        }
        boolean announced = System.getenv("LISTEN_FDS") != null;
        System.out.println("listening on " + server.getLocalAddress() + (announced ? " with LISTEN_FDS" : ""));
        long pid = ProcessHandle.current().pid();
        while (true) {
            try (var c = server.accept()) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                var head = ByteBuffer.allocate(8192);
                while (c.read(head) > 0 && !new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    // read the whole request head
                }
                byte[] body = ("java pid " + pid + "\n").getBytes(StandardCharsets.UTF_8);
                String response = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
                c.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)));
                c.write(ByteBuffer.wrap(body));
            }
        }
    }
}
