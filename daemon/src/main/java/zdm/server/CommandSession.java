package zdm.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/**
 * One {@link Request.Run} on its connection: the command's output frames go out as they are printed
 * (one writer at a time), and a client that hangs up (Ctrl-C on {@code zdm logs -f}) interrupts the
 * command, which would otherwise wait for its next line to notice. The request is the connection's
 * last: the client sends nothing after it, so anything read (end of stream included) means it is gone.
 */
final class CommandSession {
    private final ByteChannel ch;
    private final Object writing = new Object();
    private final Object ending = new Object();
    private boolean ended; // guarded by ending

    private CommandSession(ByteChannel ch) {
        this.ch = ch;
    }

    /** Runs {@code run} with {@code runner} and sends its final answer. */
    static void run(Request.Run run, CommandRunner runner, ByteChannel ch) throws IOException {
        new CommandSession(ch).serve(run, runner);
    }

    private void serve(Request.Run run, CommandRunner runner) throws IOException {
        Thread command = Thread.currentThread();
        Thread.ofVirtual().name("zdm-run-hangup").start(() -> {
            try {
                ch.read(ByteBuffer.allocate(1));
            } catch (IOException e) {
                // reset, or closed after the answer: either way the command need not go on
            }
            synchronized (ending) {
                if (!ended) command.interrupt();
            }
        });
        Response answer;
        try {
            answer = runner.run(run, this::send);
        } catch (UncheckedIOException e) {
            answer = null; // the client is gone
        } finally {
            synchronized (ending) {
                ended = true;
            }
            Thread.interrupted(); // the watcher's, if the hang-up came as the command ended
        }
        if (answer != null) send(answer);
        // The watcher ends when the connection closes, right after this answer.
    }

    /** Sends one frame; a client that is gone ends the command with an {@link UncheckedIOException}. */
    private void send(Response response) {
        synchronized (writing) {
            try {
                Wire.send(ch, response);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
