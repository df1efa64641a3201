package zdm.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one way the CLI prints a point in time (events, describe, logs, watch frames): ISO 8601 with
 * milliseconds and the zone's offset, {@code 2026-12-04T18:48:39.103+01:00}, or with {@code Z} in UTC,
 * which is the very stamp that starts every line of the log files. A reader never has to guess the
 * zone, and on a UTC machine what {@code zdm logs} prints is what the files hold. Stateless.
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    /** The log files' stamp: always UTC, always 24 characters. */
    private static final int LOG_STAMP_LENGTH = "2026-12-04T17:48:39.103Z".length();

    private Timestamps() {}

    public static String format(long epochMs, ZoneId zone) {
        return format(Instant.ofEpochMilli(epochMs), zone);
    }

    public static String format(Instant t, ZoneId zone) {
        return FORMAT.format(t.atZone(zone));
    }

    /**
     * A log line with its leading UTC stamp shown in {@code zone}; a line that does not start with
     * one (a custom date format, a continuation) is returned as it is.
     */
    public static String localiseLogLine(String line, ZoneId zone) {
        if (line.length() < LOG_STAMP_LENGTH || line.charAt(LOG_STAMP_LENGTH - 1) != 'Z'
                || (line.length() > LOG_STAMP_LENGTH && line.charAt(LOG_STAMP_LENGTH) != ' ')) {
            return line;
        }
        if (zone.normalized().equals(ZoneOffset.UTC)) return line;
        try {
            Instant t = Instant.parse(line.substring(0, LOG_STAMP_LENGTH));
            return format(t, zone) + line.substring(LOG_STAMP_LENGTH);
        } catch (DateTimeParseException e) {
            return line;
        }
    }
}
