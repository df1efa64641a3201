package zdm.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import zdm.proc.ProcessIdentity;
import zdm.test.Await;

/**
 * Real processes a restore test starts as what a previous daemon left running; {@link #close} ends each with its tree
 * (only these, by their handles).
 */
final class Leftovers implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();

    Process start(ProcessBuilder pb) throws IOException {
        var p = pb.start();
        started.add(p);
        return p;
    }

    /** A shell that runs {@code script} (its $0 is {@code arg}). */
    Process shell(String script, String arg) throws IOException {
        return start(new ProcessBuilder("sh", "-c", script, arg));
    }

    /** A worker of a socket-mode app: a socket listening on {@code port} as its fd 3, as zdm hands it over; returns once it listens. */
    Process holdingSocket(int port) throws IOException {
        var p = start(new ProcessBuilder("python3", "-c", """
                import os, socket, sys, time
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", int(sys.argv[1])))
                s.listen(64)
                os.dup2(s.fileno(), 3)
                print("listening", flush=True)
                while True:
                    time.sleep(0.05)
                """, Integer.toString(port)));
        String line = p.inputReader().readLine();
        if (!"listening".equals(line)) throw new IOException("the socket holder said " + line);
        return p;
    }

    static ProcessIdentity identity(Process p) {
        return Await.value(Duration.ofSeconds(10), () -> ProcessIdentity.of(p.pid()).orElse(null), "pid " + p.pid() + "'s /proc entry");
    }

    @Override
    public void close() {
        for (var p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
