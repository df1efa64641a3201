package zdm.protocol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One JSON object of a message ({@link JsonTree}'s map) read field by field into a record's types.
 * A missing field reads as a JSON null: null for objects, 0 and false for primitives, and a field of
 * another name is ignored, so older and newer peers understand each other (as with Jackson's data
 * binding before). Scalars are converted as data binding did (a number for a string field is its text,
 * "12" for an int is 12, 1.9 is 1); anything else is a {@link Malformed} naming the field.
 */
final class Fields {
    private final Map<?, ?> object;

    Fields(Map<?, ?> object) {
        this.object = object;
    }

    /** A value that does not fit its field; Wire turns it into a ProtocolException. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code value} as an object's fields, or null for a JSON null. */
    static Fields of(Object value, String what) {
        if (value == null) return null;
        if (value instanceof Map<?, ?> m) return new Fields(m);
        throw new Malformed(what + " must be a JSON object");
    }

    Object raw(String name) {
        return object.get(name);
    }

    String string(String name) {
        return string(object.get(name), name);
    }

    int integer(String name) {
        Object v = object.get(name);
        return v == null ? 0 : (int) whole(v, name, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    Integer boxedInteger(String name) {
        Object v = object.get(name);
        return v == null ? null : (int) whole(v, name, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    long longValue(String name) {
        Object v = object.get(name);
        return v == null ? 0 : whole(v, name, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    Long boxedLong(String name) {
        Object v = object.get(name);
        return v == null ? null : whole(v, name, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    double decimal(String name) {
        return switch (object.get(name)) {
            case null -> 0;
            case Number n -> n.doubleValue();
            case String s -> parse(s, name, Double::parseDouble);
            default -> throw wrong(name, "a number");
        };
    }

    boolean bool(String name) {
        return switch (object.get(name)) {
            case null -> false;
            case Boolean b -> b;
            case Integer i -> i != 0;
            case String s when s.equals("true") || s.equals("false") -> Boolean.parseBoolean(s);
            default -> throw wrong(name, "true or false");
        };
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        String s = string(name);
        if (s == null) return null;
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new Malformed("\"" + name + "\" must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + ", not \"" + s + "\"");
        }
    }

    /** A state enum by its name on the wire ({@link WireName}: "waiting-restart"). */
    <E extends Enum<E> & WireName> E wireName(String name, Class<E> type) {
        String s = string(name);
        if (s == null) return null;
        E value = WireName.parse(type, s);
        if (value == null) {
            throw new Malformed("\"" + name + "\" must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(WireName::wireName).toList() + ", not \"" + s + "\"");
        }
        return value;
    }

    List<String> strings(String name) {
        return list(name, (v, at) -> string(v, at));
    }

    List<Integer> integers(String name) {
        return list(name, (v, at) -> v == null ? null : (int) whole(v, at, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    /** An array of objects, each read by {@code reader}; null elements stay null. */
    <T> List<T> objects(String name, Function<Fields, T> reader) {
        return list(name, (v, at) -> {
            Fields f = of(v, at);
            return f == null ? null : reader.apply(f);
        });
    }

    <T> T object(String name, Function<Fields, T> reader) {
        Fields f = of(object.get(name), "\"" + name + "\"");
        return f == null ? null : reader.apply(f);
    }

    /** An object of strings (an environment); null values stay null. */
    Map<String, String> stringMap(String name) {
        return switch (object.get(name)) {
            case null -> null;
            case Map<?, ?> m -> {
                var out = new LinkedHashMap<String, String>();
                m.forEach((k, v) -> out.put((String) k, string(v, name + "." + k)));
                yield out;
            }
            default -> throw wrong(name, "a JSON object");
        };
    }

    /** An object of any JSON values, as {@link JsonTree} read them. */
    @SuppressWarnings("unchecked")
    Map<String, Object> anyMap(String name) {
        return switch (object.get(name)) {
            case null -> null;
            case Map<?, ?> m -> (Map<String, Object>) m;
            default -> throw wrong(name, "a JSON object");
        };
    }

    private interface Element<T> {
        T read(Object value, String at);
    }

    private <T> List<T> list(String name, Element<T> element) {
        return switch (object.get(name)) {
            case null -> null;
            case List<?> l -> {
                var out = new ArrayList<T>(l.size());
                for (int i = 0; i < l.size(); i++) out.add(element.read(l.get(i), name + "[" + i + "]"));
                yield out;
            }
            default -> throw wrong(name, "a JSON array");
        };
    }

    private static String string(Object v, String name) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            default -> throw wrong(name, "a string");
        };
    }

    private static long whole(Object v, String name, long min, long max) {
        long n = switch (v) {
            case Integer i -> i;
            case Long l -> l;
            case BigInteger b -> throw wrong(name, "a number in " + min + ".." + max);
            case Double d when d >= min && d <= max -> d.longValue();
            case String s -> parse(s.strip(), name, Long::parseLong);
            default -> throw wrong(name, "a whole number");
        };
        if (n < min || n > max) throw wrong(name, "a number in " + min + ".." + max);
        return n;
    }

    private static <T> T parse(String s, String name, Function<String, T> parser) {
        try {
            return parser.apply(s);
        } catch (NumberFormatException e) {
            throw wrong(name, "a number");
        }
    }

    private static Malformed wrong(String name, String expected) {
        return new Malformed("\"" + name + "\" must be " + expected);
    }
}
