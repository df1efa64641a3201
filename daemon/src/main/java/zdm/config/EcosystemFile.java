package zdm.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import zdm.config.Node.Entry;
import zdm.config.Node.Mapping;
import zdm.config.Node.Pos;
import zdm.config.Node.Scalar;
import zdm.config.Node.Sequence;

/**
 * Reads an ecosystem file into a {@link Node} tree for {@link EcosystemLoader}: YAML (JSON is YAML) with the
 * positions the errors quote, or what node makes of pm2's JavaScript files, without positions. Every way a file
 * can fail to be read (missing, a directory, too large, unreadable, not YAML) is reported, never thrown.
 */
final class EcosystemFile {
    private EcosystemFile() {}

    /** A .js file as node's JSON of its module.exports, without positions; null after reporting why not. */
    static Node evaluated(Path file, Map<String, String> callerEnv, Problems problems) {
        try {
            if (!Files.isRegularFile(file)) {
                problems.add(Pos.NONE, "", Files.exists(file) ? "is not a regular file" : "file not found");
                return null;
            }
            // positions in node's output mean nothing to the user
            return withoutPositions(YamlReader.read(NodeEval.json(file, callerEnv)));
        } catch (NodeEval.Failure e) {
            problems.add(Pos.NONE, "", e.getMessage());
        } catch (YamlReader.YamlException e) {
            problems.add(Pos.NONE, "", e.getMessage());
        }
        return null;
    }

    /**
     * A YAML or JSON file, with positions (JSON is YAML). pm2 evaluates a .json file as a JavaScript
     * expression, so comments, trailing commas, unquoted keys or computed values work there: such a
     * file, which YAML cannot read, is evaluated by node as pm2 does (positions are lost).
     */
    static Node parsed(Path file, boolean json, Map<String, String> callerEnv, Problems problems) {
        byte[] bytes = read(file, problems);
        if (bytes == null) return null;
        try {
            return YamlReader.read(bytes);
        } catch (YamlReader.YamlException e) {
            if (json) {
                try {
                    return withoutPositions(YamlReader.read(NodeEval.json(file, callerEnv)));
                } catch (NodeEval.Failure | YamlReader.YamlException ignored) {
                    // the YAML error, with its position, says more than node's
                }
            }
            problems.add(e.pos, "", e.getMessage());
            return null;
        }
    }

    /** The file's bytes, or null after reporting why there are none. */
    private static byte[] read(Path file, Problems problems) {
        try {
            if (Files.isDirectory(file)) {
                problems.add(Pos.NONE, "", "is a directory; expected an ecosystem YAML file");
                return null;
            }
            if (Files.size(file) > EcosystemLoader.MAX_FILE_BYTES) {
                problems.add(Pos.NONE, "", tooLarge(Files.size(file)));
                return null;
            }
            byte[] bytes;
            try (var in = Files.newInputStream(file)) {
                bytes = in.readNBytes(EcosystemLoader.MAX_FILE_BYTES + 1); // the file may have grown since size()
            }
            if (bytes.length > EcosystemLoader.MAX_FILE_BYTES) {
                problems.add(Pos.NONE, "", tooLarge(bytes.length));
                return null;
            }
            return bytes;
        } catch (NoSuchFileException e) {
            problems.add(Pos.NONE, "", "file not found");
        } catch (AccessDeniedException e) {
            problems.add(Pos.NONE, "", "cannot read the file: permission denied");
        } catch (IOException e) {
            problems.add(Pos.NONE, "", "cannot read the file: " + e.getMessage());
        }
        return null;
    }

    private static String tooLarge(long bytes) {
        return "file is too large (" + bytes + " bytes); an ecosystem file may be at most 1 MiB";
    }

    /** For a tree read from node's output: its positions mean nothing to the user, so drop them. */
    private static Node withoutPositions(Node node) {
        return switch (node) {
            case null -> null;
            case Scalar s -> new Scalar(s.value(), s.text(), Pos.NONE);
            case Sequence q -> new Sequence(q.items().stream().map(EcosystemFile::withoutPositions).toList(), Pos.NONE);
            case Mapping m -> {
                var entries = new LinkedHashMap<String, Entry>();
                m.entries().forEach((k, e) -> entries.put(k, new Entry(k, Pos.NONE, withoutPositions(e.value()))));
                yield new Mapping(entries, Pos.NONE);
            }
        };
    }
}
