package zdm.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Size syntax of the ecosystem file: {@code "512K"}, {@code "300M"}, {@code "1G"} (binary units, as
 * in pm2: K = 1024 bytes), an optional trailing B ({@code "300MB"}), or a bare number of bytes.
 * Stateless.
 */
public final class Sizes {

    /** Shown in error messages; keep in sync with docs/configuration.md. */
    public static final String ACCEPTED = "a size like 512K, 300M or 1G, or a whole number of bytes";

    private static final Pattern FORM = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,9})?)([KMG]B?|B)?");

    private Sizes() {}

    /** Bytes, or empty for anything that is not a non-negative size. */
    public static OptionalLong parseBytes(String text) {
        var m = FORM.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) return OptionalLong.empty();
        String unit = m.group(2) == null ? "B" : m.group(2).substring(0, 1);
        long factor = switch (unit) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            default -> 1;
        };
        if (factor == 1 && m.group(1).contains(".")) return OptionalLong.empty();
        return OptionalLong.of(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor))
                .setScale(0, RoundingMode.HALF_UP).longValueExact());
    }
}
