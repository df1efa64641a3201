package zdm.config;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cron expression as pm2's {@code cron_restart} takes it: 5 fields (minute hour day-of-month month
 * day-of-week) or 6 with seconds first; {@code *}, {@code ?}, numbers, ranges {@code 1-5}, steps
 * {@code *}{@code /15} and {@code 10-50/10}, lists {@code 1,15}, month and day names ({@code JAN},
 * {@code MON}; day 7 is Sunday too), and {@code @hourly}, {@code @daily}, {@code @weekly},
 * {@code @monthly}, {@code @yearly}. As in classic cron, when both day fields are restricted a day
 * matching either counts. Immutable, thread-safe.
 */
public final class Cron {
    private static final Map<String, String> NICKNAMES = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final String text;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    /** Why an expression is not valid; the message is one line. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private Cron(String text, String[] f) throws Invalid {
        this.text = text;
        seconds = field(f[0], 0, 59, "seconds", List.of(), 0);
        minutes = field(f[1], 0, 59, "minutes", List.of(), 0);
        hours = field(f[2], 0, 23, "hours", List.of(), 0);
        daysOfMonth = field(f[3], 1, 31, "day of month", List.of(), 0);
        months = field(f[4], 1, 12, "month", MONTHS, 1);
        BitSet dow = field(f[5], 0, 7, "day of week", DAYS, 0);
        if (dow.get(7)) dow.set(0); // 7 is Sunday too
        daysOfWeek = dow;
        anyDayOfMonth = isAny(f[3]);
        anyDayOfWeek = isAny(f[5]);
    }

    public static Cron parse(String expression) throws Invalid {
        String text = expression.strip();
        String fields = NICKNAMES.getOrDefault(text.toLowerCase(Locale.ROOT), text);
        String[] f = fields.split("\\s+");
        if (f.length == 5) f = ("0 " + fields).split("\\s+");
        if (f.length != 6) {
            throw new Invalid("expected 5 fields (minute hour day month weekday) or 6 (with seconds first), got "
                    + f.length + " in \"" + text + "\"");
        }
        return new Cron(text, f);
    }

    /** The expression as written. */
    public String text() {
        return text;
    }

    /** The first time after {@code after} (exclusive) that matches, or null if none within 5 years. */
    public ZonedDateTime next(ZonedDateTime after) {
        var t = after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        var limit = after.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.get(t.getSecond())) {
                t = t.plusSeconds(1);
            } else {
                return t;
            }
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth) return dow;
        if (anyDayOfWeek) return dom;
        return dom || dow;
    }

    private static boolean isAny(String field) {
        return field.equals("*") || field.equals("?");
    }

    private static BitSet field(String field, int min, int max, String what, List<String> names, int firstName)
            throws Invalid {
        var bits = new BitSet(max + 1);
        for (String part : field.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), 1, max - min + 1, what + " step", List.of(), 0);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                from = number(range.substring(0, range.indexOf('-')), min, max, what, names, firstName);
                to = number(range.substring(range.indexOf('-') + 1), min, max, what, names, firstName);
                if (to < from) throw new Invalid(what + ": range " + range + " goes backwards");
            } else {
                from = number(range, min, max, what, names, firstName);
                to = slash >= 0 ? max : from; // "5/15": from 5 on, every 15
            }
            for (int v = from; v <= to; v += step) bits.set(v);
        }
        return bits;
    }

    private static int number(String text, int min, int max, String what, List<String> names, int firstName)
            throws Invalid {
        int named = names.indexOf(text.toUpperCase(Locale.ROOT));
        if (named >= 0) return named + firstName;
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Invalid(what + ": expected " + min + " to " + max + (names.isEmpty() ? "" : " or a name such as "
                + names.getFirst()) + ", got \"" + text + "\"");
    }

    @Override
    public String toString() {
        return text;
    }
}
