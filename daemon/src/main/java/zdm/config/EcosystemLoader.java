package zdm.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zdm.config.Node.Mapping;
import zdm.config.Node.Pos;
import zdm.config.Node.Sequence;

/**
 * Loads ecosystem files (and command-line apps) into validated {@link AppSpec}s, reporting every
 * problem at once with its file, line and column. Never throws for bad input. Thread-safe: it has no
 * state; each call works on its own data.
 */
public final class EcosystemLoader {

    /** Files above this size are refused before parsing: ecosystem files are small, and YAML parsing is not. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    static final String COMMAND_LINE = "<command line>";
    private static final List<String> TOP_LEVEL_KEYS = List.of("apps");

    private EcosystemLoader() {}

    /** Parse + validate a YAML ecosystem file (absolute path). Never throws for bad input. */
    public static LoadResult loadFile(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        var problems = new Problems(displayName(absolute));
        byte[] yaml = read(absolute, problems);
        if (yaml == null) return new LoadResult.Invalid(problems.inFileOrder());
        Node root;
        try {
            root = YamlReader.read(yaml);
        } catch (YamlReader.YamlException e) {
            problems.add(e.pos, "", e.getMessage());
            return new LoadResult.Invalid(problems.inFileOrder());
        }
        var apps = apps(root, problems);
        var checked = new ArrayList<AppValidator.Checked>();
        for (int i = 0; i < apps.size(); i++) {
            checked.add(AppValidator.validate(apps.get(i), "apps[" + i + "]", absolute.getParent(),
                    absolute.toString(), problems));
        }
        checkAcrossApps(checked, problems);
        return result(checked, problems);
    }

    /**
     * Validate one app given as a map of ecosystem keys (from {@code zdm start app.js -i 2 --name web});
     * relative paths resolve against cwd; errors use file "&lt;command line&gt;" with line 0, col 0
     * and are formatted "&lt;command line&gt;: name: ..." (no line:col).
     */
    public static LoadResult loadInline(Map<String, Object> app, Path cwd) {
        var problems = new Problems(COMMAND_LINE);
        var checked = AppValidator.validate(Node.fromJava(app), "", cwd.toAbsolutePath().normalize(),
                COMMAND_LINE, problems);
        return result(List.of(checked), problems);
    }

    private static LoadResult result(List<AppValidator.Checked> checked, Problems problems) {
        if (problems.count() > 0) return new LoadResult.Invalid(problems.inFileOrder());
        return new LoadResult.Loaded(checked.stream().map(AppValidator.Checked::spec).toList());
    }

    /** The file's bytes, or null after reporting why there are none. */
    private static byte[] read(Path file, Problems problems) {
        try {
            if (Files.isDirectory(file)) {
                problems.add(Pos.NONE, "", "is a directory; expected an ecosystem YAML file");
                return null;
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                problems.add(Pos.NONE, "", tooLarge(Files.size(file)));
                return null;
            }
            byte[] bytes;
            try (var in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1); // the file may have grown since size()
            }
            if (bytes.length > MAX_FILE_BYTES) {
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

    /** The items of {@code apps:}, after checking the top level. */
    private static List<Node> apps(Node root, Problems problems) {
        if (root == null) {
            problems.add(new Pos(1, 1), "", "the file is empty; expected a mapping with an apps: list");
            return List.of();
        }
        if (!(root instanceof Mapping top)) {
            problems.add(root.pos(), "", "expected a mapping with an apps: list at the top level, got " + Node.describe(root));
            return List.of();
        }
        for (var entry : top.entries().values()) {
            if (!TOP_LEVEL_KEYS.contains(entry.key())) {
                problems.add(entry.keyPos(), entry.key(),
                        "unknown key" + Suggestions.didYouMean(entry.key(), TOP_LEVEL_KEYS) + " (app settings go under apps:)");
            }
        }
        var apps = top.entries().get("apps");
        if (apps == null) {
            problems.add(top.pos(), "apps", "missing; the file needs an apps: list with at least one app");
            return List.of();
        }
        if (!(apps.value() instanceof Sequence list) || list.items().isEmpty()) {
            problems.add(apps.value().pos(), "apps", "expected a non-empty list of apps, got " + Node.describe(apps.value()));
            return List.of();
        }
        return list.items();
    }

    /** Names must be unique and two apps cannot own the same port. */
    private static void checkAcrossApps(List<AppValidator.Checked> apps, Problems problems) {
        Map<String, Integer> nameOwner = new HashMap<>();
        Map<Integer, Integer> portOwner = new HashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            var app = apps.get(i);
            String path = "apps[" + i + "]";
            if (app.name() != null) {
                Integer first = nameOwner.putIfAbsent(app.name(), i);
                if (first != null) {
                    problems.add(app.nameNode().pos(), path + ".name",
                            "duplicate app name " + Suggestions.quote(app.name()) + " (also apps[" + first + "])");
                }
            }
            if (app.port() != null) {
                Integer first = portOwner.putIfAbsent(app.port(), i);
                if (first != null) {
                    String firstName = apps.get(first).name();
                    problems.add(app.portNode().pos(), path + ".port", "port " + app.port() + " is already used by apps["
                            + first + "]" + (firstName != null ? " (" + firstName + ")" : ""));
                }
            }
        }
    }

    /** Relative to the working directory when the file is under it, else absolute. */
    static String displayName(Path absolute) {
        Path workingDir = Path.of("").toAbsolutePath();
        return absolute.startsWith(workingDir) && !absolute.equals(workingDir)
                ? workingDir.relativize(absolute).toString()
                : absolute.toString();
    }
}
