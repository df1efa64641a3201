package zdm.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

/**
 * The caller's time zone as the fast client sends it: {@link ZoneId#systemDefault()} costs the
 * client ~12 ms of CPU (the JDK reads its whole time-zone database, twice, to check one name), so
 * the client sends the name the JDK starts from (as libjava's TimeZone_md.c finds it on Linux:
 * {@code TZ} without a leading ':' or "posix/", else what the /etc/localtime symlink points to after
 * "zoneinfo/"), and the daemon, which has the database loaded, makes it the zone the client's JVM
 * would have made (zdm.cli.CallerZone).
 */
public final class ZoneName {
    private static final Path LOCALTIME = Path.of("/etc/localtime");
    private static final String ZONEINFO = "zoneinfo/";

    /** Marks a zone the client computed the JDK's way (not a name for the daemon to look up). */
    public static final String EXACT = "=";

    private ZoneName() {}

    /** The name the JDK would look up for this process's default zone, or its computed zone after {@link #EXACT}. */
    public static String name() {
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
}
