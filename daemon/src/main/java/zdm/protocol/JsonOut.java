package zdm.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writing a message with jackson-core's streaming generator, in the bytes Jackson's data binding wrote
 * for the same records before (field by field in the records' component order, nulls written as null):
 * a client and a daemon of different builds still read each other. Stateless.
 */
final class JsonOut {
    private JsonOut() {}

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** The bytes {@code body} writes. */
    static byte[] bytes(Body body) {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JsonTree.FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a message", e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    static void integer(JsonGenerator g, String name, Integer value) throws IOException {
        g.writeFieldName(name);
        if (value == null) g.writeNull();
        else g.writeNumber(value.intValue());
    }

    static void longValue(JsonGenerator g, String name, Long value) throws IOException {
        g.writeFieldName(name);
        if (value == null) g.writeNull();
        else g.writeNumber(value.longValue());
    }

    /** A state enum by its name on the wire ({@link WireName}), or null. */
    static void wireName(JsonGenerator g, String name, WireName value) throws IOException {
        g.writeStringField(name, value == null ? null : value.wireName());
    }

    static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        any(g, name, values);
    }

    static void any(JsonGenerator g, String name, Object value) throws IOException {
        g.writeFieldName(name);
        any(g, value);
    }

    /** A value of an untyped field (an inline app's keys): maps, collections, strings, numbers, booleans, enums, null. */
    static void any(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i.intValue());
            case Long l -> g.writeNumber(l.longValue());
            case Short s -> g.writeNumber(s.shortValue());
            case Byte b -> g.writeNumber(b.intValue());
            case Double d -> g.writeNumber(d.doubleValue());
            case Float f -> g.writeNumber(f.floatValue());
            case BigInteger b -> g.writeNumber(b);
            case BigDecimal b -> g.writeNumber(b);
            case Enum<?> e -> g.writeString(e.name());
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (var e : m.entrySet()) any(g, String.valueOf(e.getKey()), e.getValue());
                g.writeEndObject();
            }
            case Collection<?> c -> {
                g.writeStartArray();
                for (Object o : c) any(g, o);
                g.writeEndArray();
            }
            case Object[] a -> any(g, java.util.Arrays.asList(a));
            default -> throw new IllegalArgumentException("a message cannot carry a " + value.getClass().getName());
        }
    }
}
