package zdm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Set;
import java.util.TimeZone;

/**
 * The caller's time zone on the fast path, in two halves. {@link ZoneId#systemDefault()} costs the
 * client ~12 ms of CPU (the JDK reads its whole time-zone database, twice, to check one name), so
 * the client sends the name the JDK starts from ({@link #name}, as libjava's TimeZone_md.c finds it
 * on Linux: {@code TZ} without a leading ':' or "posix/", else what the /etc/localtime symlink
 * points to after "zoneinfo/"), and the daemon, which has the database loaded, makes it the zone
 * the client's JVM would have made ({@link #of}). A name the database does not know (a POSIX rule
 * such as {@code CET-1CEST}), which the JDK would turn into a fixed offset, makes the daemon hand the
 * command back to the client, which then computes it the slow, exact way.
 */
final class CallerZone {
    private static final Path LOCALTIME = Path.of("/etc/localtime");
    private static final String ZONEINFO = "zoneinfo/";

    private CallerZone() {}

    /** Marks a zone the client computed the JDK's way (not a name for the daemon to look up). */
    private static final String EXACT = "=";

    /** The name the JDK would look up for this process's default zone, or its computed zone after {@link #EXACT}. */
    static String name() {
        String property = System.getProperty("user.timezone");
        if (property != null && !property.isEmpty()) return exact(); // -Duser.timezone: the JDK's own way
        String tz = System.getenv("TZ");
        if (tz == null || tz.isEmpty()) {
            try {
                if (!Files.isSymbolicLink(LOCALTIME)) return exact(); // a copy: the JDK compares it with every zone's file
                String link = Files.readSymbolicLink(LOCALTIME).normalize().toString();
                int at = link.indexOf(ZONEINFO);
                return at < 0 ? exact() : link.substring(at + ZONEINFO.length());
            } catch (IOException | RuntimeException e) {
                return exact();
            }
        }
        if (tz.startsWith(":")) tz = tz.substring(1);
        if (tz.startsWith("posix/")) tz = tz.substring("posix/".length());
        return tz;
    }

    private static String exact() {
        return EXACT + ZoneId.systemDefault().getId();
    }

    /** The zone of a JVM whose default zone is named {@code name} (from {@link #name}), or null when the client must compute it. */
    static ZoneId of(String name) {
        if (name.startsWith(EXACT)) return ZoneId.of(name.substring(EXACT.length()));
        // A name the database does not know: the JDK would ask the C library for a fixed offset.
        if (!Known.IDS.contains(name)) return null;
        return TimeZone.getTimeZone(name).toZoneId();
    }

    /** Loaded by the daemon only: the client never reads the database. */
    private static final class Known {
        static final Set<String> IDS = Set.of(TimeZone.getAvailableIDs());
    }
}
