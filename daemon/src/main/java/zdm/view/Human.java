package zdm.view;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Short human-readable renderings of sizes and durations, as {@code zdm ls} shows them. */
public final class Human {
    private static final String UNITS = "KMGTPE";

    private Human() {}

    /** {@code 512B}, {@code 1.5K}, {@code 12.3M}, {@code 2.0G}: binary units, one decimal. */
    public static String bytes(long bytes) {
        if (bytes < 1024) return bytes + "B";
        double value = bytes;
        int unit = -1;
        // 1023.96K would print as "1024.0K"; move to the next unit before rounding can overflow.
        while (value >= 1023.95 && unit < UNITS.length() - 1) {
            value /= 1024;
            unit++;
        }
        return oneDecimal(value) + UNITS.charAt(unit);
    }

    /** The largest whole unit: {@code 5s}, {@code 3m}, {@code 2h}, {@code 4d}. */
    public static String duration(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        if (s < 86400) return s / 3600 + "h";
        return s / 86400 + "d";
    }

    /** An exact configured duration: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}. */
    public static String millis(long millis) {
        if (millis < 1000) return millis + "ms";
        if (millis % 60_000 == 0) return millis / 60_000 + "m";
        if (millis % 1000 == 0) return millis / 1000 + "s";
        return String.format(Locale.ROOT, "%.3fs", millis / 1000.0).replaceAll("0+s$", "s");
    }

    /** {@code 0.0%}, {@code 12.5%}; {@code -} when unknown (negative). */
    public static String percent(double percent) {
        return percent < 0 ? "-" : oneDecimal(percent) + "%";
    }

    /**
     * What {@code String.format(Locale.ROOT, "%.1f", value)} gives, without a Formatter: {@code zdm ls} shows two
     * such figures per worker, and parsing the format each time was a tenth of the daemon's Java time for a
     * listing of 1,000 workers. The Formatter rounds the shortest decimal that reads back as the double
     * (Double.toString's digits) half up, which is what BigDecimal.valueOf and setScale do (HumanTest compares
     * them); a value that is whole, the usual 0.0 % of an idle worker, needs neither. The figures shown are never
     * negative; a negative one goes to the Formatter (BigDecimal has no -0.0).
     */
    static String oneDecimal(double value) {
        // below zero (BigDecimal has no -0.0), NaN and the infinities: the Formatter itself
        if (!(value >= 0) || Double.isInfinite(value) || Double.doubleToRawLongBits(value) == NEGATIVE_ZERO) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (value < 1e15 && value == Math.rint(value)) return (long) value + ".0";
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);
}
