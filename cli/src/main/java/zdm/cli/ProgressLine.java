package zdm.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The last line of a long operation on a terminal: {@code workers ready 1/2, 1.3s} (or
 * {@code workers replaced 1/2, 1.3s} during a reload), redrawn in place several times a second while
 * the daemon's progress lines scroll above it. Counts come from those lines ({@code web[0] started},
 * {@code web[0] online}, {@code web reload-begin: 2 worker(s)}, {@code web[1] replaced}).
 * Thread-safe: the redraw thread and the response reader print under this object's monitor.
 */
final class ProgressLine implements AutoCloseable {
    private static final Pattern WORKER_EVENT = Pattern.compile("^(\\S+)\\[(\\d+)] (started|online|replaced)\\b.*");
    private static final Pattern RELOAD_BEGIN = Pattern.compile("^\\S+ reload-begin: (\\d+) worker.*");
    static final long REDRAW_MS = 200;

    private final PrintWriter out;
    private final long startMs = System.currentTimeMillis();
    private final Set<String> started = new HashSet<>(), online = new HashSet<>(), replaced = new HashSet<>();
    private int reloading;
    private boolean shown, closed;
    private Thread ticker;

    ProgressLine(PrintWriter out) {
        this.out = out;
    }

    /** Prints a progress line above the status line and updates the counts. */
    synchronized void line(String line) {
        if (closed) {
            out.println(line);
            return;
        }
        count(line);
        clear();
        out.println(line);
        draw();
        if (ticker == null) ticker = Thread.ofVirtual().name("zdm-progress-line").start(this::tick);
    }

    /** Removes the status line; later lines print plainly. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            clear();
            out.flush();
            t = ticker;
        }
        if (t != null) t.interrupt();
    }

    /** What the status line says now (without escapes); for tests. */
    synchronized String status(long nowMs) {
        String elapsed = String.format(Locale.ROOT, "%.1fs", (nowMs - startMs) / 1000.0);
        if (reloading > 0) return "workers replaced " + replaced.size() + "/" + reloading + ", " + elapsed;
        if (!started.isEmpty()) return "workers ready " + online.size() + "/" + started.size() + ", " + elapsed;
        return "working, " + elapsed;
    }

    private void count(String line) {
        var m = WORKER_EVENT.matcher(line);
        if (m.matches()) {
            String worker = m.group(1) + "[" + m.group(2) + "]";
            switch (m.group(3)) {
                case "started" -> started.add(worker);
                case "online" -> online.add(worker);
                default -> replaced.add(worker);
            }
            return;
        }
        var r = RELOAD_BEGIN.matcher(line);
        if (r.matches()) reloading += Integer.parseInt(r.group(1));
    }

    private void tick() {
        try {
            while (true) {
                Thread.sleep(REDRAW_MS); // the redraw period, not a wait for a condition
                synchronized (this) {
                    if (closed) return;
                    clear();
                    draw();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void draw() {
        out.print(status(System.currentTimeMillis()));
        out.flush();
        shown = true;
    }

    private void clear() {
        if (shown) out.print("\r\033[K");
        shown = false;
    }
}
