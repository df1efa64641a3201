package zdm.protocol;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link WireName} enum's names on the wire, worked out once per class: by ordinal, and back to the constant.
 * Immutable; the cache is a {@link ClassValue}, so thread-safe.
 */
record WireNames(String[] byOrdinal, Map<String, Object> byName) {
    static WireNames of(Class<?> type) {
        return OF.get(type);
    }

    private static final ClassValue<WireNames> OF = new ClassValue<>() {
        @Override
        protected WireNames computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            var byOrdinal = new String[constants.length];
            var byName = new HashMap<String, Object>();
            for (Object c : constants) {
                var e = (Enum<?>) c;
                byOrdinal[e.ordinal()] = e.name().toLowerCase(Locale.ROOT).replace('_', '-');
                byName.put(byOrdinal[e.ordinal()], c);
            }
            return new WireNames(byOrdinal, Map.copyOf(byName));
        }
    };
}
