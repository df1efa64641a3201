package zdm.server;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import zdm.protocol.ErrorKind;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;
import zdm.store.Store;

/**
 * {@code zdm events}: the history from the store's events table (with {@code --since}, a note when
 * the limit left some out), then (with follow) every new event
 * until the client hangs up. Following polls the table by id, so it sees every writer of events
 * (supervisor, restore, requests) without any of them knowing about followers.
 */
final class EventStreamer {
    static final int MAX_EVENTS = 100_000;
    private static final long POLL_MS = 200;

    private final Store store;

    EventStreamer(Store store) {
        this.store = store;
    }

    /** Sends the events; returns the final answer, or null after a follow ended by the client. */
    Response stream(Request.Events req, java.util.function.Predicate<String> known, ByteChannel ch) throws IOException {
        String app = req.app() == null || "all".equals(req.app()) ? null : req.app();
        if (app != null && !known.test(app) && store.events(app, 1).isEmpty()) {
            return Response.Failed.of(ErrorKind.NOT_FOUND, "no app named '" + app + "' and no events of one; 'zdm ls' lists the apps");
        }
        int limit = Math.max(0, Math.min(req.limit(), MAX_EVENTS));
        // A follow goes on after the newest event that existed when the request came (even when -n 0
        // or --since showed none of them), or after the last one shown: no gap and no repeat.
        var newest = store.events(app, 1);
        long lastId = newest.isEmpty() ? 0 : newest.getLast().id();
        var history = store.events(app, limit, Math.max(0, req.sinceMs()), 0);
        for (EventView e : history) Wire.send(ch, new Response.Event(e));
        if (!req.follow()) return new Response.Done(cutNote(app, req.sinceMs(), history.size(), limit));
        if (!history.isEmpty()) lastId = Math.max(lastId, history.getLast().id());
        var hungUp = LogStreamer.watchForHangUp(ch);
        try {
            while (!hungUp.isDone()) {
                for (EventView e : store.events(app, MAX_EVENTS, 0, lastId)) {
                    Wire.send(ch, new Response.Event(e));
                    lastId = e.id();
                }
                try {
                    hungUp.get(POLL_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // poll again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // the hang-up watcher never fails
        }
        return null;
    }

    /**
     * With {@code --since}, a history cut by the limit says so (a silent cut read as "nothing else
     * happened"), naming the option that shows it all; null when nothing was left out.
     */
    private String cutNote(String app, long sinceMs, int shown, int limit) {
        if (sinceMs <= 0 || shown < limit) return null;
        long total = store.countEvents(app, sinceMs);
        if (total <= shown) return null;
        return shown + " of " + total + " events shown (the newest); "
                + (total <= MAX_EVENTS ? "-n " + total + " shows them all" : "a later --since shows fewer");
    }
}
