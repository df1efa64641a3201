package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import zdm.config.EcosystemLoader;

/**
 * A documented key is a tested key. Reads the app keys of docs/configuration.md and the options of
 * docs/cli.md, compares them with the code (the loader's key lists, each command's picocli options),
 * and checks that each has a test registered in {@value #REGISTRY} that exercises its effect, and
 * that the registered test method exists. Every failure says what to add, and where.
 */
class DocumentedKeysTest {
    static final String REGISTRY = "cli/src/test/resources/tested-keys.txt";
    /** Keys whose name is a pattern, read outside AppKey (EnvBlocks). */
    private static final List<String> PATTERN_KEYS = List.of("env_<name>");
    /** Options every command has (mixinStandardHelpOptions), tested once by EveryCommandUsageTest. */
    private static final List<String> STANDARD_OPTIONS = List.of("--help", "--version");

    private static final Path ROOT = findRoot();

    private static Path findRoot() {
        for (var p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/configuration.md"))) return p;
        }
        throw new AssertionError("docs/configuration.md not found above " + Path.of("").toAbsolutePath());
    }

    // ---- the ecosystem file's keys ----

    /** The keys of the `### `key`` headings under "## App keys", and of top-level `## `key`` headings. */
    static List<String> documentedConfigKeys() throws IOException {
        var keys = new ArrayList<String>();
        boolean appKeys = false;
        var quoted = Pattern.compile("`([^`]+)`");
        for (String line : Files.readAllLines(ROOT.resolve("docs/configuration.md"))) {
            if (line.startsWith("## ")) {
                appKeys = line.equals("## App keys");
                if (line.matches("## `[a-z_]+`")) keys.add(line.substring(4, line.length() - 1));
            } else if (appKeys && line.startsWith("### ")) {
                var m = quoted.matcher(line);
                while (m.find()) keys.add(m.group(1));
            }
        }
        return keys;
    }

    static List<String> codeConfigKeys() {
        var keys = new ArrayList<String>(EcosystemLoader.appKeys());
        keys.addAll(PATTERN_KEYS);
        EcosystemLoader.topLevelKeys().stream().filter(k -> !k.equals("apps")).forEach(keys::add);
        return keys;
    }

    @Test
    void everyKeyInTheCodeIsDocumentedAndTheOtherWayRound() throws IOException {
        var problems = new ArrayList<String>();
        var documented = documentedConfigKeys();
        for (String k : codeConfigKeys()) {
            if (!documented.contains(k)) {
                problems.add("key '" + k + "' exists in the code (AppKey / EcosystemLoader) but docs/configuration.md has no"
                        + " section for it: add a '### `" + k + "`' section (type, default, example, effect) under '## App keys'"
                        + " (top-level keys: a '## `" + k + "`' section)");
            }
        }
        for (String k : documented) {
            if (!codeConfigKeys().contains(k)) {
                problems.add("docs/configuration.md documents key '" + k + "' but the code has no such key: add it to"
                        + " zdm.config.AppKey (or remove the section)");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    // ---- the command line's options ----

    /** Every command's options (not --help/--version), by the command's name, from picocli's model. */
    private static Map<String, List<String>> allOptions() {
        var out = new LinkedHashMap<String, List<String>>();
        for (Class<?> c : ZdmCommand.class.getAnnotation(CommandLine.Command.class).subcommands()) {
            if (c == CommandLine.HelpCommand.class) continue;
            var spec = new CommandLine(c).getCommandSpec();
            var names = new ArrayList<String>();
            for (var o : spec.options()) {
                if (STANDARD_OPTIONS.contains(o.longestName())) continue;
                names.add(o.longestName());
            }
            out.put(spec.name(), names);
        }
        return out;
    }

    /** The options of {@link GlobalOptions} (--debug): documented once in docs/cli.md, registered as "cli:<option>". */
    static List<String> globalOptions() {
        var spec = CommandLine.Model.CommandSpec.forAnnotatedObject(new GlobalOptions());
        return spec.options().stream().map(CommandLine.Model.OptionSpec::longestName).toList();
    }

    /** Each command's own options: neither --help/--version nor a global one. */
    static Map<String, List<String>> codeOptions() {
        var global = globalOptions();
        var out = new LinkedHashMap<String, List<String>>();
        allOptions().forEach((c, os) -> out.put(c, os.stream().filter(o -> !global.contains(o)).toList()));
        return out;
    }

    /** The text of docs/cli.md's section for a command: the "### " heading that names it, up to the next one. */
    static String cliSection(String command) throws IOException {
        var text = new StringBuilder();
        boolean in = false;
        var word = Pattern.compile("(?<![\\w-])" + Pattern.quote(command) + "(?![\\w-])");
        for (String line : Files.readAllLines(ROOT.resolve("docs/cli.md"))) {
            if (line.startsWith("### ") || line.startsWith("## ")) in = line.startsWith("### ") && word.matcher(line).find();
            if (in) text.append(line).append('\n');
        }
        return text.toString();
    }

    private static boolean mentions(String text, String option) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(option) + "(?![\\w-])").matcher(text).find();
    }

    /** Options a section documents: in its `zdm <command> ...` synopsis lines and its tables' first cells. */
    static List<String> documentedOptions(String section) {
        var found = new TreeSet<String>();
        var option = Pattern.compile("(?<![\\w-])(--?[a-zA-Z][\\w-]*)");
        for (String line : section.lines().toList()) {
            String scan = line.startsWith("zdm ") || line.startsWith("          [") ? line
                    : line.startsWith("| `-") ? line.substring(0, line.indexOf('|', 2)) : null;
            if (scan == null) continue;
            var m = option.matcher(scan);
            while (m.find()) found.add(m.group(1));
        }
        return List.copyOf(found);
    }

    @Test
    void everyOptionInTheCodeIsDocumentedAndTheOtherWayRound() throws IOException {
        var problems = new ArrayList<String>();
        String cliDoc = Files.readString(ROOT.resolve("docs/cli.md"));
        for (String o : globalOptions()) {
            if (!mentions(cliDoc, o)) problems.add("every command has " + o + " but docs/cli.md never mentions it: say what it does near the top");
        }
        var code = codeOptions();
        for (var e : code.entrySet()) {
            String section = cliSection(e.getKey());
            if (section.isEmpty()) {
                problems.add("zdm " + e.getKey() + " has no section in docs/cli.md: add '### " + e.getKey() + "' with its synopsis and options");
                continue;
            }
            for (String o : e.getValue()) {
                if (!mentions(section, o)) {
                    problems.add("zdm " + e.getKey() + " " + o + " is an option in the code but docs/cli.md's section for "
                            + e.getKey() + " does not mention it: add it to the synopsis and the option table there");
                }
            }
            for (String o : documentedOptions(section)) {
                boolean known = code.entrySet().stream().filter(c -> {
                    try {
                        return cliSection(c.getKey()).equals(section);
                    } catch (IOException x) {
                        throw new AssertionError(x);
                    }
                }).anyMatch(c -> c.getValue().stream().anyMatch(n -> n.equals(o) || aliases(c.getKey(), n).contains(o)));
                if (!known && !o.equals("--") && !STANDARD_OPTIONS.contains(o) && !globalOptions().contains(o)) {
                    problems.add("docs/cli.md documents " + o + " for zdm " + e.getKey() + " but no command of that section"
                            + " has it: add the option to the command, or remove it from the docs");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", new TreeSet<>(problems)));
    }

    /** Every name of the option whose longest name is {@code longest} ("-n" for "--lines"). */
    private static List<String> aliases(String command, String longest) {
        for (Class<?> c : ZdmCommand.class.getAnnotation(CommandLine.Command.class).subcommands()) {
            if (c == CommandLine.HelpCommand.class) continue;
            var spec = new CommandLine(c).getCommandSpec();
            if (!spec.name().equals(command)) continue;
            var o = spec.findOption(longest);
            if (o != null) return List.of(o.names());
        }
        return List.of();
    }

    // ---- the registry of tests ----

    /** "config:<key>" or "cli:<command> <option>" → "<fully.qualified.TestClass>#<method>", from the registry. */
    static Map<String, List<String>> registry() throws IOException {
        var out = new LinkedHashMap<String, List<String>>();
        for (String line : Files.readAllLines(ROOT.resolve(REGISTRY))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            var cells = line.split("\t+");
            if (cells.length != 2) throw new AssertionError(REGISTRY + ": expected '<key>\\t<Class#method>', got: " + line);
            out.computeIfAbsent(cells[0].trim(), k -> new ArrayList<>()).add(cells[1].trim());
        }
        return out;
    }

    /** Null if the test method exists in daemon's or cli's test sources (or the entry is a PENDING #issue), else why not. */
    static String missingTest(String ref) throws IOException {
        if (ref.startsWith("PENDING ")) {
            return ref.matches("PENDING #\\d+: .+") ? null : "'" + ref + "' is not 'PENDING #<issue>: <why>'";
        }
        int hash = ref.indexOf('#');
        if (hash < 0) return "'" + ref + "' is not <fully.qualified.TestClass>#<method>";
        String file = ref.substring(0, hash).replace('.', '/') + ".java";
        for (String module : List.of("daemon", "cli")) {
            var source = ROOT.resolve(module + "/src/test/java/" + file);
            if (!Files.isRegularFile(source)) continue;
            String method = ref.substring(hash + 1);
            if (Pattern.compile("void\\s+" + Pattern.quote(method) + "\\s*\\(").matcher(Files.readString(source)).find()) return null;
            return source + " has no method " + method;
        }
        return "no test class " + ref.substring(0, hash) + " under daemon/ or cli/src/test/java";
    }

    @Test
    void everyDocumentedKeyAndOptionHasARegisteredTestThatExists() throws IOException {
        var registry = registry();
        var needed = new ArrayList<String>();
        for (String k : documentedConfigKeys()) needed.add("config:" + k);
        for (var e : codeOptions().entrySet()) for (String o : e.getValue()) needed.add("cli:" + e.getKey() + " " + o);
        for (String o : globalOptions()) needed.add("cli:" + o);
        var problems = new ArrayList<String>();
        for (String key : needed) {
            if (!registry.containsKey(key)) {
                problems.add("no test registered for " + key + ": add the line '" + key + "<TAB><fully.qualified.TestClass>#<method>'"
                        + " to " + REGISTRY + ", naming a test that exercises the effect of " + key.substring(key.indexOf(':') + 1)
                        + " (what it does, not only that it is accepted); write that test if none does");
            }
        }
        for (var e : registry.entrySet()) {
            if (!needed.contains(e.getKey())) {
                problems.add(REGISTRY + " registers " + e.getKey() + ", which is neither a documented key nor an option of the"
                        + " code: fix the name or remove the line");
            }
            for (String ref : e.getValue()) {
                String why = missingTest(ref);
                if (why != null) problems.add(REGISTRY + ": " + e.getKey() + " -> " + why);
            }
        }
        // Not a failure, but never silent: each run names the keys whose effect nothing tests yet.
        registry.forEach((k, refs) -> refs.stream().filter(r -> r.startsWith("PENDING ")).forEach(r ->
                System.out.println("documented key without a test of its effect: " + k + " (" + r + ")")));
        assertTrue(problems.isEmpty(), problems.size() + " problem(s) of the documented-keys registry:\n" + String.join("\n", problems));
    }
}
