package zdm.proc;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * pm2's {@code log_date_format}: a day.js format string ({@code YYYY-MM-DD HH:mm:ss Z}), rendered in the daemon's
 * time zone as pm2 renders it in its daemon's. The tokens are day.js's own ({@code [text]} is literal); any other
 * character is copied. Immutable; thread-safe.
 */
public final class LogDateFormat {
    private static final Pattern TOKEN = Pattern.compile(
            "\\[([^\\]]*)]|YYYY|YY|M{1,4}|D{1,2}|d{1,4}|H{1,2}|h{1,2}|a|A|m{1,2}|s{1,2}|Z{1,2}|SSS");

    private final List<Object> parts; // String literals and String tokens wrapped in Token
    private final ZoneId zone;

    private record Token(String text) {}

    public LogDateFormat(String format) {
        this(format, ZoneId.systemDefault());
    }

    LogDateFormat(String format, ZoneId zone) {
        this.zone = zone;
        var list = new ArrayList<Object>();
        var m = TOKEN.matcher(format);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) list.add(format.substring(at, m.start()));
            list.add(m.group(1) != null ? m.group(1) : new Token(m.group()));
            at = m.end();
        }
        if (at < format.length()) list.add(format.substring(at));
        this.parts = List.copyOf(list);
    }

    public String format(long epochMs) {
        var t = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMs), zone);
        var out = new StringBuilder(32);
        for (Object p : parts) {
            if (p instanceof Token token) out.append(render(token.text(), t));
            else out.append((String) p);
        }
        return out.toString();
    }

    private static String render(String token, ZonedDateTime t) {
        int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        return switch (token) {
            case "YYYY" -> pad(t.getYear(), 4);
            case "YY" -> pad(Math.floorMod(t.getYear(), 100), 2);
            case "M" -> Integer.toString(t.getMonthValue());
            case "MM" -> pad(t.getMonthValue(), 2);
            case "MMM" -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case "MMMM" -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case "D" -> Integer.toString(t.getDayOfMonth());
            case "DD" -> pad(t.getDayOfMonth(), 2);
            case "d" -> Integer.toString(t.getDayOfWeek().getValue() % 7); // day.js: 0 is Sunday
            case "dd" -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH).substring(0, 2);
            case "ddd" -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case "dddd" -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case "H" -> Integer.toString(t.getHour());
            case "HH" -> pad(t.getHour(), 2);
            case "h" -> Integer.toString(hour12);
            case "hh" -> pad(hour12, 2);
            case "a" -> t.getHour() < 12 ? "am" : "pm";
            case "A" -> t.getHour() < 12 ? "AM" : "PM";
            case "m" -> Integer.toString(t.getMinute());
            case "mm" -> pad(t.getMinute(), 2);
            case "s" -> Integer.toString(t.getSecond());
            case "ss" -> pad(t.getSecond(), 2);
            case "SSS" -> pad(t.getNano() / 1_000_000, 3);
            case "Z" -> offset(t, true);
            case "ZZ" -> offset(t, false);
            default -> token;
        };
    }

    private static String offset(ZonedDateTime t, boolean colon) {
        int seconds = t.getOffset().getTotalSeconds();
        int abs = Math.abs(seconds) / 60;
        return (seconds < 0 ? "-" : "+") + pad(abs / 60, 2) + (colon ? ":" : "") + pad(abs % 60, 2);
    }

    private static String pad(int n, int width) {
        String s = Integer.toString(n);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }
}
