package zdm.client;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * Every help page of zdm as printed where the output is not a terminal (picocli's 80 columns, no
 * colour), rendered by picocli at build time ({@code zdm.cli.HelpPages}) into
 * {@value #RESOURCE} beside this class. The client prints a page from there without building any
 * command, so {@code zdm --help | less} or a script's {@code zdm help start} costs no more than
 * starting the JVM, and needs no daemon. In a terminal (its width, its colours) the daemon renders
 * the page, or the full CLI when none runs.
 *
 * <p>The file: a first line with the number of distinct texts, each text as a line with its length
 * in chars and then the text, then one line per form: the index of its text and the form's words,
 * separated by spaces.
 */
public final class HelpText {
    /** Where the build puts the pages: in this package, on the class path. */
    public static final String RESOURCE = "zdm/client/help-pages.txt";

    private HelpText() {}

    /**
     * The page {@code args} print when stdout is no terminal and nothing asks for colour anyway
     * (picocli's CLICOLOR_FORCE or picocli.ansi), or null: no such form, or the page would differ.
     */
    public static String plainPage(String[] args, Map<String, String> env) {
        if (args.length == 0 || args.length > 2 || !mayBeHelp(args)) return null;
        String force = env.get("CLICOLOR_FORCE");
        if (force != null && !force.equals("0") && !env.containsKey("NO_COLOR")) return null;
        if (System.getProperty("picocli.ansi") != null) return null;
        var console = System.console(); // as Terminal.detect, without asking the terminal's width
        if (console != null && console.isTerminal()) return null;
        try {
            String file = read();
            return file == null ? null : find(file, args);
        } catch (IOException | RuntimeException e) {
            return null; // the usual way prints it
        }
    }

    /** Cheap filter before the file is read: a help form has "help", "--help" or "-h" in it. */
    private static boolean mayBeHelp(String[] args) {
        for (String a : args) {
            if (a.equals("help") || a.equals("--help") || a.equals("-h")) return true;
        }
        return false;
    }

    /**
     * The file, from the first entry of the class path that has it (a jar, or a directory of
     * classes), or null. Read directly: the class loader's getResourceAsStream costs ~10 ms of CPU
     * in a fresh JVM (its URL and jar-connection machinery), a ZipFile ~1 ms.
     */
    public static String read() throws IOException {
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path file = path.resolve(RESOURCE);
                if (Files.isRegularFile(file)) return Files.readString(file);
            } else if (Files.isRegularFile(path)) {
                try (var zip = new ZipFile(path.toFile())) {
                    var e = zip.getEntry(RESOURCE);
                    if (e != null) {
                        try (var in = zip.getInputStream(e)) {
                            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                    }
                }
            }
        }
        return null;
    }

    /** The page of {@code args} in the file's text, or null. */
    public static String find(String file, String[] args) {
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
}
