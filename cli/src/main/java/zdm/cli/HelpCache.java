package zdm.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import zdm.protocol.Response;

/**
 * The help pages the daemon printed for fast-path callers ({@link DaemonCommands}), by the words
 * and how the caller's terminal shows them: {@code zdm --help} builds picocli's whole command tree
 * and lays out every command's summary (tens of milliseconds in the daemon, most of such a
 * command's time), and the page is the same until the daemon is replaced. Only help pages are kept,
 * so a key is known to be one by having been printed as one. A few hundred at most (widths ×
 * forms); the oldest go first. Thread-safe; nothing is sent under the lock.
 */
final class HelpCache {
    private static final int MAX_PAGES = 256;

    /** A page's words, at the width and in the colours the caller's terminal gets. */
    record Key(List<String> args, int width, boolean colour) {}

    private final Map<Key, List<Response.Output>> pages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, List<Response.Output>> eldest) {
            return size() > MAX_PAGES;
        }
    };

    /** Sends the cached page of {@code key}; false (nothing sent) when there is none. */
    boolean replay(Key key, Consumer<Response> send) {
        List<Response.Output> page;
        synchronized (pages) {
            page = pages.get(key);
        }
        if (page == null) return false;
        page.forEach(send);
        return true;
    }

    /** A sender that also records what it sends, for {@link #keep}. */
    static final class Recorder implements Consumer<Response> {
        private final Consumer<Response> send;
        private final List<Response.Output> sent = new ArrayList<>();

        Recorder(Consumer<Response> send) {
            this.send = send;
        }

        @Override
        public void accept(Response response) {
            if (response instanceof Response.Output output) {
                synchronized (sent) {
                    sent.add(output);
                }
            }
            send.accept(response);
        }
    }

    /** Keeps what {@code recorder} sent as the page of {@code key}. */
    void keep(Key key, Recorder recorder) {
        List<Response.Output> page;
        synchronized (recorder.sent) {
            page = List.copyOf(recorder.sent);
        }
        synchronized (pages) {
            pages.put(key, page);
        }
    }
}
