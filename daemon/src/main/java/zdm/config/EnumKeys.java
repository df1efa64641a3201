package zdm.config;

import java.util.Locale;

/** How a config enum is written in a file and in the store: its name in lower case ("proxy", "watchdog"). */
final class EnumKeys {
    private EnumKeys() {}

    static String key(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} written as {@code key}; null for null. */
    static <E extends Enum<E>> E of(Class<E> type, String key) {
        if (key == null) return null;
        for (E e : type.getEnumConstants()) {
            if (key(e).equals(key)) return e;
        }
        throw new IllegalArgumentException("no " + type.getSimpleName() + " " + key);
    }
}
