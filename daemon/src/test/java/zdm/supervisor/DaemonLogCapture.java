package zdm.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The daemon's own log as a test sees it: {@link zdm.log.DaemonLog} writes each line to stderr (daemon.log), which this
 * takes from its making until {@link #close} puts stderr back. Every thread's lines are taken, the loop's and the
 * store's too.
 */
final class DaemonLogCapture implements AutoCloseable {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream real = System.err;

    DaemonLogCapture() {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The lines so far, each without its time stamp ("WARN text"). */
    List<String> lines() {
        return err.toString(StandardCharsets.UTF_8).lines().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
    }

    @Override
    public void close() {
        System.setErr(real);
    }
}
