package zdm.protocol;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names a sealed message type's records go by on the wire ({@code "type": "start-file"}), both ways.
 * Immutable.
 */
final class TypeNames<T> {
    private final Map<String, Class<? extends T>> byName;
    private final Map<Class<?>, String> byClass = new HashMap<>();

    /** {@code byName} in the order the names were added to the protocol. */
    TypeNames(LinkedHashMap<String, Class<? extends T>> byName) {
        this.byName = Collections.unmodifiableMap(byName);
        byName.forEach((name, type) -> byClass.put(type, name));
    }

    Map<String, Class<? extends T>> byName() {
        return byName;
    }

    String nameOf(T message) {
        String name = byClass.get(message.getClass());
        if (name == null) throw new IllegalStateException(message.getClass().getName() + " has no name on the wire");
        return name;
    }
}
