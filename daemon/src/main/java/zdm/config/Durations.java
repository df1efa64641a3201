package zdm.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Duration syntax of the ecosystem file: {@code "250ms"}, {@code "1.5s"}, {@code "2m"}, {@code "1h"},
 * or a bare number of milliseconds ({@code "1500"} or the YAML integer {@code 1500}). Stateless.
 */
public final class Durations {

    /** Shown in error messages; keep in sync with docs/configuration.md. */
    public static final String ACCEPTED = "a duration like 250ms, 1.5s, 2m or 1h, or a whole number of milliseconds";

    private static final Pattern FORM = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ms|s|m|h)?");

    private Durations() {}

    /** Milliseconds, or empty for anything that is not a non-negative duration. Fractions of a ms round. */
    public static OptionalLong parseMillis(String text) {
        var m = FORM.matcher(text.strip());
        if (!m.matches()) return OptionalLong.empty();
        String unit = m.group(2) == null ? "ms" : m.group(2);
        if (unit.equals("ms") && m.group(1).contains(".") && m.group(2) == null) return OptionalLong.empty();
        long factor = switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> throw new IllegalStateException(unit);
        };
        return OptionalLong.of(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor))
                .setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** The shortest exact spelling: 1500 -> "1.5s", 120000 -> "2m", 250 -> "250ms". */
    public static String format(long ms) {
        if (ms != 0 && ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms != 0 && ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms >= 1_000) return BigDecimal.valueOf(ms).movePointLeft(3).stripTrailingZeros().toPlainString() + "s";
        return ms + "ms";
    }
}
