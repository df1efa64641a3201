package zdm.cli;

import java.io.IOException;
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
import zdm.client.HelpText;
import zdm.protocol.Paths;
import zdm.view.Tty;

/**
 * The build's half of {@link HelpText}: renders every help form as picocli prints it off a terminal
 * (80 columns, no colour) into {@link HelpText#RESOURCE}, in Maven's process-classes phase
 * ({@link #main}, exec-maven-plugin), which the client then prints without building any command.
 *
 * <p>The forms: {@code zdm --help}, {@code -h}, {@code help}, and for each command and alias
 * {@code help <command>}, {@code <command> --help} and {@code <command> -h}. Anything else (more
 * words, options) goes the usual way.
 */
public final class HelpPages {
    private HelpPages() {}

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
