package zdm.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import zdm.config.Node.Entry;
import zdm.config.Node.Mapping;
import zdm.config.Node.Pos;
import zdm.config.Node.Scalar;
import zdm.config.Node.Sequence;

/**
 * Reads one YAML document into a {@link Node} tree that remembers the line and column of every key
 * and value, using Jackson's streaming YAML parser. Thread-safe: the factory is immutable and each
 * call uses its own parser.
 *
 * <p>Aliases: Jackson's streaming parser does not expand them (it reports the anchor name as a
 * string) and only reports anchors of mappings and lists, so this reader expands aliases of those
 * itself, sharing the anchored subtree (no copying) and
 * refusing more than {@link #MAX_ALIASES}; together with the depth limit this makes alias bombs fail
 * at once instead of blowing up. Merge keys ({@code <<: *defaults}) are supported.
 */
final class YamlReader {

    static final int MAX_ALIASES = 20;
    static final int MAX_DEPTH = 32;

    /** A problem with the document itself, at a position. */
    static final class YamlException extends Exception {
        final Pos pos;

        YamlException(Pos pos, String message) {
            super(message, null, false, false);
            this.pos = pos;
        }
    }

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            // Backstop only: our own MAX_DEPTH check triggers first with a clearer message.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH * 2).build())
            .build();

    /**
     * SnakeYAML's own limits. Several of them are enforced by SnakeYAML's composer, which the
     * streaming parser does not use; they are set anyway so that any future tree-based read through
     * this factory is bounded too. The limits that protect us today are the file size cap, MAX_DEPTH
     * and MAX_ALIASES, enforced in this class.
     */
    private static LoaderOptions loaderOptions() {
        var options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH * 2);
        options.setCodePointLimit(2 * EcosystemLoader.MAX_FILE_BYTES);
        return options;
    }

    private final YAMLParser parser;
    private final Map<String, Node> anchors = new HashMap<>();
    private int aliasesSeen;

    private YamlReader(YAMLParser parser) {
        this.parser = parser;
    }

    /** The document's root, or null for an empty document. */
    static Node read(byte[] yaml) throws YamlException {
        try (var parser = FACTORY.createParser(decodeUtf8(yaml))) {
            var reader = new YamlReader(parser);
            JsonToken first = parser.nextToken();
            if (first == null) return null;
            Node root = reader.value(first, 0);
            if (parser.nextToken() != null) {
                throw new YamlException(pos(parser.currentTokenLocation()),
                        "more than one YAML document ('---'); put all apps in one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw fromJackson(e);
        } catch (IOException e) {
            // Reading from a String cannot fail; keep the message anyway.
            throw new YamlException(Pos.NONE, "cannot read YAML: " + e.getMessage());
        }
    }

    /**
     * Decodes strictly, so that a file in another encoding gets an error at the offending byte
     * (Jackson would report it without a usable position).
     */
    private static String decodeUtf8(byte[] bytes) throws YamlException {
        var in = ByteBuffer.wrap(bytes);
        var out = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new YamlException(new Pos(line, offset - lineStart + 1), String.format(
                    "not valid UTF-8 (byte 0x%02x); save the file as UTF-8", bytes[offset] & 0xff));
        }
        return out.flip().toString();
    }

    private Node value(JsonToken token, int depth) throws IOException, YamlException {
        Pos pos = pos(parser.currentTokenLocation());
        if (parser.isCurrentAlias()) return alias(parser.getText(), pos);
        String anchor = parser.getObjectId(); // the YAML anchor (&name) of a mapping or list
        if (depth > MAX_DEPTH) {
            throw new YamlException(pos, "nested deeper than " + MAX_DEPTH + " levels");
        }
        Node node = switch (token) {
            case START_OBJECT -> mapping(pos, depth);
            case START_ARRAY -> sequence(pos, depth);
            case VALUE_STRING -> new Scalar(parser.getText(), parser.getText(), pos);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Scalar(parser.getNumberValue(), parser.getText(), pos);
            case VALUE_TRUE -> new Scalar(Boolean.TRUE, parser.getText(), pos);
            case VALUE_FALSE -> new Scalar(Boolean.FALSE, parser.getText(), pos);
            case VALUE_NULL -> new Scalar(null, parser.getText(), pos);
            default -> throw new YamlException(pos, "unsupported YAML value (binary or custom tag); write a plain string");
        };
        if (anchor != null) anchors.put(anchor, node);
        return node;
    }

    private Node alias(String anchor, Pos pos) throws YamlException {
        if (++aliasesSeen > MAX_ALIASES) {
            throw new YamlException(pos, "more than " + MAX_ALIASES + " YAML aliases; refusing (alias bomb?)");
        }
        Node target = anchors.get(anchor);
        if (target == null) {
            throw new YamlException(pos, "unknown YAML alias *" + anchor
                    + " (anchors work on mappings and lists; Jackson does not report anchors of single values)");
        }
        return target;
    }

    private Mapping mapping(Pos pos, int depth) throws IOException, YamlException {
        var entries = new LinkedHashMap<String, Entry>();
        var merged = new ArrayList<Node>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
            String key = parser.currentName();
            Pos keyPos = pos(parser.currentTokenLocation());
            Node value = value(parser.nextToken(), depth + 1);
            if (key.equals("<<")) {
                merged.add(value);
                continue;
            }
            if (entries.containsKey(key)) {
                throw new YamlException(keyPos, "duplicate key \"" + key + "\" (first at line "
                        + entries.get(key).keyPos().line() + ")");
            }
            entries.put(key, new Entry(key, keyPos, value));
        }
        for (Node source : merged) merge(entries, source);
        return new Mapping(entries, pos);
    }

    /** YAML merge key: copy the source's keys that the mapping does not set itself. */
    private static void merge(Map<String, Entry> into, Node source) throws YamlException {
        switch (source) {
            case Mapping m -> m.entries().forEach(into::putIfAbsent);
            case Sequence s -> {
                for (Node item : s.items()) merge(into, item);
            }
            case Scalar s -> throw new YamlException(s.pos(), "'<<' (merge key) needs a mapping or a list of mappings");
        }
    }

    private Sequence sequence(Pos pos, int depth) throws IOException, YamlException {
        var items = new ArrayList<Node>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(value(token, depth + 1));
        }
        return new Sequence(items, pos);
    }

    private static Pos pos(JsonLocation location) {
        return location == null ? Pos.NONE : new Pos(Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
    }

    /** Jackson wraps SnakeYAML's error; its problem mark and one-line problem text are what users need. */
    private static YamlException fromJackson(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                var mark = marked.getProblemMark();
                return new YamlException(new Pos(mark.getLine() + 1, mark.getColumn() + 1),
                        "YAML syntax error: " + firstLine(marked.getProblem()));
            }
        }
        return new YamlException(pos(e.getLocation()), "YAML error: " + firstLine(e.getOriginalMessage()));
    }

    private static String firstLine(String message) {
        if (message == null) return "invalid YAML";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
