package zdm.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * A JSON document as plain Java values, read with jackson-core's streaming parser: objects become
 * {@link LinkedHashMap}s (in their order, a repeated name's last value wins), arrays {@link ArrayList}s,
 * integers {@link Integer}, {@link Long} or {@link java.math.BigInteger} (the smallest that holds them),
 * other numbers {@link Double}, and strings, booleans and null themselves: the same values Jackson's data
 * binding gave for an untyped field, which the daemon's readers of an inline app's keys expect. The
 * parser's own limits (nesting, string and number lengths) bound what a hostile frame can cost. The store reads its
 * spec rows with it too (zdm.store.RecordJson). Stateless.
 */
public final class JsonTree {
    /** Shared: a JsonFactory is thread-safe once configured, and holds the parsers' symbol tables. */
    static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {}

    /** The document's first value; null for an empty document or a JSON null. What follows it is ignored. */
    public static Object read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return p.nextToken() == null ? null : value(p);
        }
    }

    /** The value that starts at the parser's current token. */
    private static Object value(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == null) throw new IOException("unexpected end of input");
        return switch (token) {
            case START_OBJECT -> {
                var map = new LinkedHashMap<String, Object>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, value(p));
                }
                yield map;
            }
            case START_ARRAY -> {
                var list = new ArrayList<Object>();
                while (p.nextToken() != JsonToken.END_ARRAY) list.add(value(p));
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> p.getIntValue();
                case LONG -> p.getLongValue();
                default -> p.getBigIntegerValue();
            };
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + token + " at " + p.currentLocation().offsetDescription());
        };
    }
}
