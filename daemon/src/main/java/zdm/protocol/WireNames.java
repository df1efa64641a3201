package zdm.protocol;

import java.util.Locale;

/**
 * The names the protocol's state enums travel by: the constant in lower case with hyphens
 * ({@code WAITING_RESTART} is "waiting-restart"), as zdm has always written them, so the JSON stays
 * readable and what older clients and scripts parse.
 */
final class WireNames {
    private WireNames() {}

    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant whose wire name is {@code name}, or null. */
    static <E extends Enum<E>> E parse(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) if (of(e).equals(name)) return e;
        return null;
    }
}
