package zdm.cli;

import java.util.List;
import java.util.Set;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion from the picocli command tree, so it always matches what the commands accept:
 * command names, then a command's options, option values with fixed candidates, and positional
 * parameters; an {@link AppCandidates} parameter gets live app names from {@link AppNameCompleter}.
 */
final class CommandCompleter implements Completer {
    /** Commands that cannot run inside the shell (a daemon in the shell's JVM, a shell in a shell), so not offered. */
    static final Set<String> NOT_IN_SHELL = Set.of("daemon", "shell", "run");

    private final CommandSpec root;
    private final AppNameCompleter apps;
    private final Completer files = new Completers.FileNameCompleter();

    CommandCompleter(CommandSpec root, AppNameCompleter apps) {
        this.root = root;
        this.apps = apps;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> before = line.words().subList(0, line.wordIndex());
        int first = !before.isEmpty() && before.getFirst().equals("zdm") ? 1 : 0; // a habit: "zdm ls"
        CommandSpec spec = root;
        int argsFrom = first; // the words after the last command name
        for (int i = first; i < before.size(); i++) {
            CommandLine sub = spec.subcommands().get(before.get(i));
            if (sub != null) {
                spec = sub.getCommandSpec();
                argsFrom = i + 1;
            } else if (!before.get(i).startsWith("-")) {
                break; // an argument: no command name follows
            }
        }
        boolean option = line.word().startsWith("-");
        if (spec == root || spec.helpCommand() || spec.userObject() instanceof HelpCommand) {
            if (option && spec == root) options(root, candidates);
            else commands(candidates);
            return;
        }
        arguments(spec, before.subList(argsFrom, before.size()), option, reader, line, candidates);
    }

    /** Completes the word after {@code args}, the words already typed after the command's name. */
    private void arguments(CommandSpec spec, List<String> args, boolean option, LineReader reader, ParsedLine line,
                           List<Candidate> candidates) {
        int positional = 0;
        boolean endOfOptions = false;
        for (int k = 0; k < args.size(); k++) {
            String arg = args.get(k);
            if (!endOfOptions && arg.equals("--")) {
                endOfOptions = true;
                continue;
            }
            OptionSpec o = endOfOptions || !arg.startsWith("-") ? null : spec.findOption(arg);
            if (o != null && o.arity().min() > 0) {
                if (k == args.size() - 1) { // the word being completed is this option's value
                    fixed(o.completionCandidates(), candidates);
                    return;
                }
                k++;
            } else if (endOfOptions || !arg.startsWith("-")) {
                positional++;
            }
        }
        if (option && !endOfOptions) {
            options(spec, candidates);
            return;
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.index().contains(positional)) continue;
            if (p.completionCandidates() instanceof AppCandidates kind) {
                apps.complete(kind, candidates);
                if (kind.files()) files.complete(reader, line, candidates);
            } else {
                fixed(p.completionCandidates(), candidates);
            }
            return;
        }
        options(spec, candidates);
    }

    private void commands(List<Candidate> candidates) {
        for (var entry : root.subcommands().entrySet()) {
            CommandSpec sub = entry.getValue().getCommandSpec();
            String name = entry.getKey();
            if (!name.equals(sub.name()) || NOT_IN_SHELL.contains(name) || sub.usageMessage().hidden()) continue;
            String[] header = sub.usageMessage().header();
            candidates.add(new Candidate(name, name, "commands", header.length > 0 ? header[0] : null, null, null, true));
        }
        for (String word : Shell.EXIT_WORDS) {
            candidates.add(new Candidate(word, word, "commands", "leave the shell", null, null, true));
        }
    }

    private static void options(CommandSpec spec, List<Candidate> candidates) {
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            String description = o.description().length > 0 ? o.description()[0] : null;
            for (String name : o.names()) {
                candidates.add(new Candidate(name, name, "options", description, null, null, true));
            }
        }
    }

    private static void fixed(Iterable<String> words, List<Candidate> candidates) {
        if (words == null) return;
        for (String w : words) candidates.add(new Candidate(w, w, null, null, null, null, true));
    }
}
