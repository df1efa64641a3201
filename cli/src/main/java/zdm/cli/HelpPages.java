package zdm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zdm.protocol.Paths;
import zdm.view.Tty;

/**
 * Every help page of zdm as printed where the output is not a terminal (picocli's 80 columns, no
 * colour), rendered by picocli at build time into zdm-cli.jar ({@code help-pages.txt}, written by
 * {@link #main} in Maven's process-classes phase). The client prints a page from there without
 * building any command (FastPath), so {@code zdm --help | less} or a script's {@code zdm help start}
 * costs no more than starting the JVM, and needs no daemon. In a terminal (its width, its colours)
 * the daemon renders the page, or the full CLI when none runs.
 *
 * <p>The forms: {@code zdm --help}, {@code -h}, {@code help}, and for each command and alias
 * {@code help <command>}, {@code <command> --help} and {@code <command> -h}. Anything else (more
 * words, options) goes the usual way. The file: a first line with the number of distinct texts,
 * each text as a line with its length in chars and then the text, then one line per form: the
 * index of its text and the form's words, separated by spaces.
 */
public final class HelpPages {
    static final String RESOURCE = "help-pages.txt";

    private HelpPages() {}

    /**
     * The page {@code args} print when stdout is no terminal and nothing asks for colour anyway
     * (picocli's CLICOLOR_FORCE or picocli.ansi), or null: no such form, or the page would differ.
     */
    static String plainPage(String[] args, Map<String, String> env) {
        if (args.length == 0 || args.length > 2 || !mayBeHelp(args)) return null;
        String force = env.get("CLICOLOR_FORCE");
        if (force != null && !force.equals("0") && !env.containsKey("NO_COLOR")) return null;
        if (System.getProperty("picocli.ansi") != null) return null;
        var console = System.console(); // as Tty.detect, without asking the terminal's width
        if (console != null && console.isTerminal()) return null;
        try (InputStream in = HelpPages.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : find(new String(in.readAllBytes(), StandardCharsets.UTF_8), args);
        } catch (IOException | RuntimeException e) {
            return null; // the usual way prints it
        }
    }

    /** Cheap filter before the resource is read: a help form has "help", "--help" or "-h" in it. */
    private static boolean mayBeHelp(String[] args) {
        for (String a : args) {
            if (a.equals("help") || a.equals("--help") || a.equals("-h")) return true;
        }
        return false;
    }

    /** The page of {@code args} in the file's text, or null. */
    static String find(String file, String[] args) {
        int at = file.indexOf('\n') + 1;
        int count = Integer.parseInt(file.substring(0, at - 1));
        int[] starts = new int[count];
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            int eol = file.indexOf('\n', at);
            lengths[i] = Integer.parseInt(file.substring(at, eol));
            starts[i] = eol + 1;
            at = starts[i] + lengths[i];
        }
        String wanted = " " + String.join(" ", args) + "\n";
        int line = at;
        while (line < file.length()) {
            int space = file.indexOf(' ', line);
            int eol = file.indexOf('\n', line);
            if (file.regionMatches(space, wanted, 0, wanted.length())) {
                int index = Integer.parseInt(file.substring(line, space));
                return file.substring(starts[index], starts[index] + lengths[index]);
            }
            line = eol + 1;
        }
        return null;
    }

    /** The help forms of zdm's command tree, each with the words that print it. */
    static List<String[]> forms() {
        var forms = new ArrayList<String[]>();
        forms.add(new String[] {"--help"});
        forms.add(new String[] {"-h"});
        forms.add(new String[] {"help"});
        for (Class<?> c : ZdmCommand.class.getAnnotation(picocli.CommandLine.Command.class).subcommands()) {
            var command = c.getAnnotation(picocli.CommandLine.Command.class);
            var names = new ArrayList<String>();
            names.add(command.name());
            names.addAll(Arrays.asList(command.aliases()));
            for (String name : names) {
                forms.add(new String[] {"help", name});
                forms.add(new String[] {name, "--help"});
                forms.add(new String[] {name, "-h"});
            }
        }
        return forms;
    }

    /** What {@code args} print on stdout where it is not a terminal, or null when they fail or print on stderr. */
    static String render(String[] args) {
        var context = new CliContext(new Paths(Path.of("/nonexistent/zdm-home")), DaemonStarter.NEVER, Map.of(),
                new CliContext.Caller(Path.of("/"), ZoneOffset.UTC, Tty.PLAIN));
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Cli.run(context, args, new PrintWriter(out), new PrintWriter(err));
        return code == ExitCodes.OK && err.toString().isEmpty() ? out.toString() : null;
    }

    /** The build's step: renders every form into the file {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        var texts = new LinkedHashMap<String, Integer>();
        var index = new StringBuilder();
        for (String[] form : forms()) {
            String page = render(form);
            if (page == null) throw new IllegalStateException("zdm " + String.join(" ", form) + " prints no help page");
            int i = texts.computeIfAbsent(page, p -> texts.size());
            index.append(i).append(' ').append(String.join(" ", form)).append('\n');
        }
        var file = new StringBuilder().append(texts.size()).append('\n');
        texts.keySet().forEach(t -> file.append(t.length()).append('\n').append(t));
        file.append(index);
        Path target = Path.of(args[0]);
        Files.createDirectories(target.getParent());
        Files.writeString(target, file, StandardCharsets.UTF_8);
    }
}
