package zdm.cli;

import java.time.ZoneId;
import java.util.Set;
import java.util.TimeZone;
import zdm.client.ZoneName;

/**
 * The daemon's half of the caller's time zone on the fast path: the client sends the name the JDK
 * starts from ({@link ZoneName#name}), and this makes it the zone the client's JVM would have made.
 * A name the database does not know (a POSIX rule such as {@code CET-1CEST}), which the JDK would
 * turn into a fixed offset, makes the daemon hand the command back to the client, which then
 * computes it the slow, exact way.
 */
final class CallerZone {
    private CallerZone() {}

    /** The name the JDK would look up for this process's default zone: {@link ZoneName#name}. */
    static String name() {
        return ZoneName.name();
    }

    /** The zone of a JVM whose default zone is named {@code name} (from {@link #name}), or null when the client must compute it. */
    static ZoneId of(String name) {
        if (name.startsWith(ZoneName.EXACT)) return ZoneId.of(name.substring(ZoneName.EXACT.length()));
        // A name the database does not know: the JDK would ask the C library for a fixed offset.
        if (!Known.IDS.contains(name)) return null;
        return TimeZone.getTimeZone(name).toZoneId();
    }

    /** Loaded by the daemon only: the client never reads the database. */
    private static final class Known {
        static final Set<String> IDS = Set.of(TimeZone.getAvailableIDs());
    }
}
