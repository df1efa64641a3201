package zdm.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import zdm.log.DaemonLog;
import zdm.protocol.AppView;
import zdm.protocol.Request;
import zdm.protocol.Response;

/**
 * What every open page receives: the apps (the {@code zdm ls} snapshot, every {@link #PERIOD}) with
 * their sparklines, each new event, and the progress of actions started from a page. It works only
 * while a page is open: the first viewer starts a poller and an events follower (one
 * {@code zdm events -f} request), the last one to leave ends both, so a closed dashboard costs
 * nothing but its listening socket. Each viewer has its own bounded queue, written to its browser by
 * its own thread, so a slow browser never holds up the others; one that falls too far behind is
 * dropped (its page reconnects). Thread-safe.
 */
final class LiveFeed {
    static final Duration PERIOD = Duration.ofSeconds(2);
    private static final int QUEUE = 1000;

    /** One SSE record for a viewer. */
    record Message(String event, String data) {}

    private final ControlLink link;
    private final Set<BlockingQueue<Message>> viewers = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private Thread poller; // guarded by lifecycle; null while nobody views
    private volatile String lastApps;

    LiveFeed(ControlLink link) {
        this.link = link;
    }

    /** A new viewer's queue; it gets the latest apps at once (when known). */
    BlockingQueue<Message> join() {
        var q = new ArrayBlockingQueue<Message>(QUEUE);
        String apps = lastApps;
        if (apps != null) q.offer(new Message("apps", apps));
        viewers.add(q);
        Thread first;
        synchronized (lifecycle) {
            if (poller != null) return q;
            poller = first = Thread.ofVirtual().name("zdm-dashboard-poll").unstarted(this::poll);
        }
        first.start();
        return q;
    }

    void leave(BlockingQueue<Message> q) {
        viewers.remove(q);
    }

    /** False when the viewer fell {@link #QUEUE} messages behind and was dropped. */
    boolean isViewing(BlockingQueue<Message> q) {
        return viewers.contains(q);
    }

    void broadcast(String event, Object payload) {
        var m = new Message(event, new String(DashboardJson.bytes(payload), java.nio.charset.StandardCharsets.UTF_8));
        if (event.equals("apps")) lastApps = m.data();
        for (var q : viewers) {
            if (!q.offer(m)) viewers.remove(q); // its thread sees it is no longer viewing and ends the stream
        }
    }

    /** Polls while anyone views; follows the events meanwhile. */
    private void poll() {
        var sparks = new Sparklines();
        var events = new java.util.concurrent.atomic.AtomicReference<ControlLink.Exchange>();
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread follower = Thread.ofVirtual().name("zdm-dashboard-events").start(() -> followEvents(events, done));
        try {
            while (true) {
                synchronized (lifecycle) {
                    // decided under the lock that join() takes, so a viewer who joins now finds either this
                    // poller still going or none (and starts one)
                    if (viewers.isEmpty()) {
                        poller = null;
                        break;
                    }
                }
                try {
                    if (link.call(new Request.ListApps(), r -> { }) instanceof Response.Apps a) {
                        broadcast("apps", new AppsMessage(a.apps(), sparks.add(a.apps())));
                    }
                } catch (IOException e) {
                    DaemonLog.warn("dashboard: cannot read the apps: " + e.getMessage());
                }
                Thread.sleep(PERIOD);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.set(true);
            var ex = events.getAndSet(null);
            if (ex != null) ex.close();
            follower.interrupt();
        }
    }

    private void followEvents(java.util.concurrent.atomic.AtomicReference<ControlLink.Exchange> holder,
                              java.util.concurrent.atomic.AtomicBoolean done) {
        try (var ex = link.open(new Request.Events(null, 0, 0, true))) {
            holder.set(ex);
            if (done.get()) return; // the poller ended while we connected
            for (Response r = ex.next(); r != null; r = ex.next()) {
                if (r instanceof Response.Event e) broadcast("event", e.event());
            }
        } catch (IOException e) {
            // closed by the poller when the last viewer left, or the daemon is stopping
        }
    }

    /** What the page receives every period: the apps as {@code zdm ls --json} has them, and each process's sparkline. */
    record AppsMessage(List<AppView> apps, Map<String, List<Sparklines.Point>> sparks) {
        AppsMessage {
            sparks = new LinkedHashMap<>(sparks);
        }
    }
}
