package zdm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A protocol enum that travels by its name in lower case with hyphens ({@code WAITING_RESTART} is
 * "waiting-restart"), as zdm has always written states, so the JSON stays readable and what older
 * clients and scripts parse. Each such enum's {@code toString} returns it too, so messages read the same.
 */
public interface WireName {
    /** The enum constant's name (implemented by every enum). */
    String name();

    /** The enum constant's position (implemented by every enum). */
    int ordinal();

    /** The enum class of the constant (implemented by every enum). */
    Class<?> getDeclaringClass();

    /**
     * The name on the wire, in {@code ls} and in the metrics' {@code state} label. The protocol's codec
     * writes it (JsonOut, Fields); {@code @JsonValue} is for data binding, which the dashboard's JSON uses.
     * Worked out once per enum class: {@code zdm ls} of 1,000 workers writes, reads and shows it for each.
     */
    @JsonValue
    default String wireName() {
        return WireNames.of(getDeclaringClass()).byOrdinal()[ordinal()];
    }

    /** The constant of {@code type} whose wire name is {@code name}; null for none. */
    static <E extends Enum<E> & WireName> E parse(Class<E> type, String name) {
        return name == null ? null : type.cast(WireNames.of(type).byName().get(name));
    }
}
