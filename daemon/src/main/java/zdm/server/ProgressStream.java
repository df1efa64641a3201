package zdm.server;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/**
 * Progress lines for one request. The supervision loop hands lines over without blocking (a slow
 * client must never stall supervision); a virtual thread writes them to the client in order.
 */
final class ProgressStream implements Consumer<String>, AutoCloseable {
    private static final String END = new String("end"); // identity sentinel
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(10_000);
    private final Thread writer;
    private volatile boolean clientGone;

    ProgressStream(WritableByteChannel ch) {
        writer = Thread.ofVirtual().name("zdm-progress").start(() -> {
            try {
                for (String line = queue.take(); line != END; line = queue.take()) {
                    if (!clientGone) {
                        try {
                            Wire.send(ch, new Response.Progress(line));
                        } catch (IOException e) {
                            clientGone = true; // the operation itself goes on
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void accept(String line) {
        queue.offer(line); // drops lines only if a client stopped reading 10 000 lines ago
    }

    /** Flushes every queued line; idempotent. */
    @Override
    public void close() {
        if (!writer.isAlive()) return;
        try {
            queue.put(END);
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
