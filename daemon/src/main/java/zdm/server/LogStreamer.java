package zdm.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import zdm.proc.AppLogs;
import zdm.protocol.ErrorKind;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/**
 * {@code zdm logs}: the last lines of one app or of all, interleaved by time, then (with follow)
 * every new line until the client hangs up. Lines start with an ISO-8601 UTC timestamp, so
 * ordering them is a string comparison.
 */
public final class LogStreamer {
    private final AppLogs logs;
    private final Supplier<List<String>> appNames;

    public LogStreamer(AppLogs logs, Supplier<List<String>> appNames) {
        this.logs = logs;
        this.appNames = appNames;
    }

    /** Sends the lines; returns the final answer, or null after a follow ended by the client. */
    Response stream(Request.Logs req, java.nio.channels.ByteChannel ch) throws IOException {
        var names = appNames.get();
        boolean all = "all".equals(req.target());
        if (!all && !names.contains(req.target())) {
            return Response.Failed.of(ErrorKind.NOT_FOUND, zdm.supervisor.Supervisor.notFoundMessage(req.target(), names));
        }
        int n = Math.max(0, Math.min(req.lines(), 100_000));
        var queue = new LinkedBlockingQueue<AppLogs.Entry>(100_000);
        // Subscribe before reading the tail, so no line falls between the two.
        boolean withOut = req.stream() != Request.LogStream.ERR;
        boolean withErr = req.stream() != Request.LogStream.OUT;
        java.util.function.Consumer<AppLogs.Entry> enqueue = e -> {
            if (e.err() ? withErr : withOut) queue.offer(e);
        };
        try (var sub = req.follow() ? logs.follow(all ? null : req.target(), enqueue) : null) {
            var tail = new ArrayList<AppLogs.Entry>();
            var unkept = new ArrayList<String>();
            for (var app : all ? names : List.of(req.target())) {
                tail.addAll(logs.tail(app, n, withOut, withErr));
                if (!logs.kept(app)) unkept.add(app);
            }
            tail.sort(Comparator.comparing(LogStreamer::timestamp)); // stable: same-ms lines keep file order
            var last = tail.subList(Math.max(0, tail.size() - n), tail.size());
            for (var e : last) Wire.send(ch, new Response.LogLine(e.line(), e.err()));
            for (var app : unkept) Wire.send(ch, new Response.LogLine(unkeptNote(app), false));
            if (!req.follow()) return new Response.Done(null);
            var hungUp = watchForHangUp(ch);
            while (!hungUp.isDone()) {
                var e = queue.poll(200, TimeUnit.MILLISECONDS);
                if (e != null) Wire.send(ch, new Response.LogLine(e.line(), e.err()));
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Said instead of the lines an app with disable_logs does not keep (never written to its file). */
    static String unkeptNote(String app) {
        return AppLogs.timestamp(java.time.Instant.now()) + " " + app + "[zdm] disable_logs is set: no log lines are kept"
                + " for " + app + "; zdm logs " + app + " -f shows new lines as they come";
    }

    /** The ISO-8601 instant that starts every line; sorting by it alone keeps same-ms lines in file order. */
    private static String timestamp(AppLogs.Entry e) {
        int sp = e.line().indexOf(' ');
        return sp < 0 ? e.line() : e.line().substring(0, sp);
    }

    /** The client of a follow sends nothing more; a read that returns -1 means it hung up. */
    static java.util.concurrent.CompletableFuture<Void> watchForHangUp(java.nio.channels.ByteChannel ch) {
        var done = new java.util.concurrent.CompletableFuture<Void>();
        Thread.ofVirtual().start(() -> {
            var buf = ByteBuffer.allocate(256);
            try {
                while (ch.read(buf.clear()) >= 0) { /* ignore anything the client sends */ }
            } catch (IOException ignored) {
                // closed: same as a hang-up
            }
            done.complete(null);
        });
        return done;
    }
}
