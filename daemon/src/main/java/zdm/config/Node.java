package zdm.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the position it came from. Jackson's {@code JsonNode} tree drops locations, and
 * every config error must point at a line and column, so the loader builds this small tree instead.
 * Immutable, thread-safe.
 */
sealed interface Node {

    Pos pos();

    /** 1-based line and column; {@code 0:0} for values that did not come from a file (command line). */
    record Pos(int line, int column) {
        static final Pos NONE = new Pos(0, 0);
    }

    /**
     * A scalar: {@code value} is a String, a Number (Long/Integer/BigInteger/Double/BigDecimal), a
     * Boolean or null; {@code text} is the scalar as written (so {@code 3.10} stays "3.10").
     */
    record Scalar(Object value, String text, Pos pos) implements Node {}

    record Sequence(List<Node> items, Pos pos) implements Node {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** Keys in document order. */
    record Mapping(Map<String, Entry> entries, Pos pos) implements Node {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
    }

    /** One key of a mapping: where the key is written, and its value. */
    record Entry(String key, Pos keyPos, Node value) {}

    /** How a value is named in messages: {@code "two"}, {@code 3}, {@code null}, {@code a list}. */
    static String describe(Node node) {
        return switch (node) {
            case Scalar s when s.value() == null -> "nothing (null)";
            case Scalar s when s.value() instanceof String str -> Suggestions.quote(str);
            case Scalar s -> s.text();
            case Sequence q -> "a list";
            case Mapping m -> "a mapping";
        };
    }

    /** Converts a plain Java value (as the CLI builds it) into a tree without positions. */
    static Node fromJava(Object value) {
        return switch (value) {
            case null -> new Scalar(null, "null", Pos.NONE);
            case Map<?, ?> map -> {
                var entries = new LinkedHashMap<String, Entry>();
                map.forEach((k, v) -> entries.put(String.valueOf(k),
                        new Entry(String.valueOf(k), Pos.NONE, fromJava(v))));
                yield new Mapping(entries, Pos.NONE);
            }
            case List<?> list -> new Sequence(list.stream().map(Node::fromJava).toList(), Pos.NONE);
            case Object[] array -> fromJava(java.util.Arrays.asList(array));
            default -> new Scalar(value, String.valueOf(value), Pos.NONE);
        };
    }
}
