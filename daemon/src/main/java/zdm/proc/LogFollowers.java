package zdm.proc;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Who is following the log lines ({@code zdm logs -f}, {@code monit}, the dashboard): each gets every line of its
 * app (or of all apps) as it is written, on the writing thread, after the write and outside any lock. A copy-on-write
 * list because lines are many and subscriptions are few.
 */
final class LogFollowers {
    private record Follower(String app, Consumer<AppLogs.Entry> listener) {}

    private final List<Follower> followers = new CopyOnWriteArrayList<>();

    /** Subscribes {@code listener} to the lines of {@code app} (null = all apps); closing the handle unsubscribes. */
    AutoCloseable add(String app, Consumer<AppLogs.Entry> listener) {
        var f = new Follower(app, Objects.requireNonNull(listener));
        followers.add(f);
        return () -> followers.remove(f);
    }

    boolean isEmpty() {
        return followers.isEmpty();
    }

    /** Hands the line to each follower of its app; a follower that throws misses that line, the others do not. */
    void tell(String app, AppLogs.Entry entry) {
        for (Follower f : followers) {
            if (f.app() != null && !f.app().equals(app)) continue;
            try {
                f.listener().accept(entry);
            } catch (RuntimeException e) {
                // one broken follower must not break logging for the others
            }
        }
    }
}
