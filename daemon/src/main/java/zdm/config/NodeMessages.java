package zdm.config;

import static zdm.config.AppKey.READY;
import static zdm.config.AppKey.SHUTDOWN_WITH_MESSAGE;
import static zdm.config.AppKey.WAIT_READY;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * pm2's messages between the daemon and a Node app, {@code process.send('ready')} ({@code wait_ready}, zdm's
 * {@code ready: message}) and {@code 'shutdown'} ({@code shutdown_with_message}). zdm's preload carries them, so
 * they need a program that runs node; for any other program they are dropped with a warning (pm2 files must run),
 * or refused where a zdm key asks for them ({@code ready: message}). Stateless.
 */
final class NodeMessages {
    private static final Set<String> NODE_PROGRAMS = Set.of("node", "nodejs", "npm", "npx", "yarn", "pnpm");
    private static final Pattern NODE_IN_SHELL = Pattern.compile("(^|[\\s/;&|])(node|nodejs|npm|npx|yarn|pnpm)(\\s|$)");

    private NodeMessages() {}

    /** The app's readiness: ready: as written, wait_ready's message, or the default for its port and listen mode. */
    static Readiness readiness(Map<AppKey, Node> nodes, Map<AppKey, Object> values, List<String> command,
                               Readiness fallback, Function<AppKey, Problems.At> at, Problems problems) {
        boolean node = runsNode(command);
        boolean waitReady = Boolean.TRUE.equals(values.get(WAIT_READY));
        if (waitReady && nodes.containsKey(READY)) {
            return at.apply(WAIT_READY).fail(nodes.get(WAIT_READY), "wait_ready: true is ready: message; remove one of them");
        }
        if (values.get(READY) instanceof Readiness.Message && !node) {
            return at.apply(READY).fail(nodes.get(READY), "message is process.send('ready') from a Node app, and "
                    + program(command) + " is not node; use ready: notify (sd_notify's READY=1) for other programs");
        }
        if (values.containsKey(READY)) return (Readiness) values.get(READY);
        if (!waitReady) return fallback;
        if (node) return new Readiness.Message();
        problems.warn(at.apply(WAIT_READY).path(), "ignored; " + program(command) + " is not node, so it cannot"
                + " process.send('ready'): the default readiness is used (ready: notify is how other programs say it)");
        return fallback;
    }

    /** shutdown_with_message, where it can be honoured. */
    static boolean shutdownWithMessage(Map<AppKey, Object> values, List<String> command, Function<AppKey, Problems.At> at,
                                       Problems problems) {
        if (!Boolean.TRUE.equals(values.get(SHUTDOWN_WITH_MESSAGE))) return false;
        if (runsNode(command)) return true;
        problems.warn(at.apply(SHUTDOWN_WITH_MESSAGE).path(), "ignored; " + program(command)
                + " is not node, so it gets no 'shutdown' message: it is stopped with stop_signal");
        return false;
    }

    /** node itself, a package manager that runs node, a .js program, or a shell line that starts one of them. */
    static boolean runsNode(List<String> command) {
        if (command == null || command.isEmpty()) return false;
        if (command.size() == 3 && command.get(0).equals("/bin/sh") && command.get(1).equals("-c")) {
            return NODE_IN_SHELL.matcher(command.get(2)).find();
        }
        var name = Path.of(command.getFirst()).getFileName();
        String program = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        return NODE_PROGRAMS.contains(program) || program.endsWith(".js") || program.endsWith(".mjs")
                || program.endsWith(".cjs");
    }

    private static String program(List<String> command) {
        return command == null || command.isEmpty() ? "the program" : Suggestions.quote(command.getFirst());
    }
}
