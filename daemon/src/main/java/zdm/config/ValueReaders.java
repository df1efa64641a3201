package zdm.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import zdm.config.Node.Mapping;
import zdm.config.Node.Scalar;
import zdm.config.Node.Sequence;
import zdm.config.Problems.At;
import zdm.net.ProxyProtocol;
import zdm.proc.Signal;

/**
 * How each single text, yes/no or one-of-a-list value of an app is read and checked (see {@link AppKey});
 * numbers, durations and sizes are in {@link NumberReaders}. Each reader returns the value, or reports the
 * problem and returns null. Stateless.
 */
final class ValueReaders {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Set by the supervisor for each worker; a config must not try to set them (PORT: see AppValidator). */
    static final Map<String, String> RESERVED_ENV = Map.of(
            "ZDM_APP", "zdm sets it to the app name",
            "ZDM_WORKER_ID", "zdm sets it to the worker's index",
            "NODE_APP_INSTANCE", "zdm sets it to the worker's index (as pm2 does)",
            "ZDM_SPAWN_ID", "zdm sets it to find the worker's descendants that left its session");

    private ValueReaders() {}

    /**
     * The name of a variable zdm sets for each worker (pm2's instance_var, increment_var): a valid name, not one of
     * zdm's own (NODE_APP_INSTANCE, pm2's default name for the index, may be written).
     */
    static String workerVarName(Node node, At at) {
        String name = text(node, at);
        if (name == null) return null;
        if (!ENV_KEY.matcher(name).matches()) {
            return at.fail(node, "invalid variable name " + Suggestions.quote(name) + ": use letters, digits and '_', not starting with a digit");
        }
        String reserved = RESERVED_ENV.get(name);
        if (reserved != null && !name.equals(ProcessSpec.DEFAULT_INSTANCE_VAR)) return at.fail(node, name + " is zdm's: " + reserved);
        return name;
    }

    /** Any scalar as its text (so {@code name: 2048} is the name "2048"). */
    static String text(Node node, At at) {
        String text = anyText(node, at);
        // No argument, environment value or path can carry a NUL: the worker could never be spawned.
        if (text != null && text.indexOf('\0') >= 0) {
            return at.fail(node, "contains a NUL character (\\0), which no program argument, environment"
                    + " value or path can hold; remove it");
        }
        return text;
    }

    private static String anyText(Node node, At at) {
        if (node instanceof Scalar s && s.value() != null) {
            return s.value() instanceof String str ? str : s.text();
        }
        return at.fail(node, "expected a string, got " + Node.describe(node));
    }

    /** The name rule below also refuses a NUL, with the message that says which characters a name may have. */
    static String appName(Node node, At at) {
        String name = anyText(node, at);
        if (name == null) return null;
        if (name.equals("all")) {
            return at.fail(node, "\"all\" is reserved (zdm commands use it to mean every app); choose another name");
        }
        if (!NAME.matcher(name).matches()) {
            return at.fail(node, "invalid app name " + Suggestions.quote(name)
                    + ": use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** A string (split later, depending on other keys) or a list of scalars: String or List&lt;String&gt;. */
    static Object textOrList(Node node, At at) {
        if (node instanceof Sequence seq) {
            var words = new ArrayList<String>();
            for (int i = 0; i < seq.items().size(); i++) {
                Node item = seq.items().get(i);
                At itemAt = at.child("[" + i + "]");
                if (!(item instanceof Scalar s && s.value() != null)) {
                    itemAt.fail(item, "expected a string, got " + Node.describe(item));
                } else {
                    String word = text(item, itemAt);
                    if (word != null) words.add(word);
                }
            }
            return words.size() == seq.items().size() ? List.copyOf(words) : null;
        }
        if (node instanceof Scalar s && s.value() != null) return text(node, at);
        return at.fail(node, "expected a string or a list of strings, got " + Node.describe(node));
    }

    static Boolean bool(Node node, At at) {
        if (node instanceof Scalar s) {
            if (s.value() instanceof Boolean b) return b;
            if ("true".equals(s.value())) return true;
            if ("false".equals(s.value())) return false;
        }
        return at.fail(node, "expected true or false, got " + Node.describe(node));
    }

    static Map<String, String> env(Node node, At at) {
        if (!(node instanceof Mapping map)) {
            return at.fail(node, "expected a mapping of variable names to values, got " + Node.describe(node));
        }
        var env = new LinkedHashMap<String, String>();
        boolean ok = true;
        for (var entry : map.entries().values()) {
            At var = at.child("." + entry.key());
            String reserved = RESERVED_ENV.get(entry.key());
            if (reserved != null) {
                ok = false;
                at.problems().add(entry.keyPos(), var.path(), "reserved variable: " + reserved);
            } else if (!ENV_KEY.matcher(entry.key()).matches()) {
                ok = false;
                at.problems().add(entry.keyPos(), var.path(),
                        "invalid variable name: use letters, digits and '_', not starting with a digit");
            } else if (entry.value() instanceof Scalar s && s.value() != null) {
                String value = text(s, var);
                if (value == null) ok = false;
                else env.put(entry.key(), value);
            } else {
                ok = false;
                var.fail(entry.value(), "expected a string, number or boolean (write \"\" for empty), got "
                        + Node.describe(entry.value()));
            }
        }
        return ok ? env : null;
    }

    static final List<String> PROTOCOLS = Stream.of(ProxyProtocol.values()).map(ProxyProtocol::key).toList();

    static String protocol(Node node, At at) {
        if (node instanceof Scalar s && s.value() instanceof String str && PROTOCOLS.contains(str)) return str;
        String hint = node instanceof Scalar s && s.value() instanceof String str ? Suggestions.didYouMean(str, PROTOCOLS) : "";
        return at.fail(node, "expected auto, http or tcp, got " + Node.describe(node) + hint);
    }

    static final List<String> LIVENESS_KINDS = List.of(Liveness.HTTP.key(), Liveness.WATCHDOG.key());

    static String liveness(Node node, At at) {
        if (node instanceof Scalar s && s.value() instanceof String str && LIVENESS_KINDS.contains(str)) return str;
        String hint = node instanceof Scalar s && s.value() instanceof String str ? Suggestions.didYouMean(str, LIVENESS_KINDS) : "";
        return at.fail(node, "expected http (zdm asks the worker) or watchdog (the worker sends sd_notify's WATCHDOG=1), got "
                + Node.describe(node) + hint);
    }

    static final List<String> LISTEN_MODES = List.of(Listen.PROXY.key(), Listen.SOCKET.key(), Listen.AUTO.key());

    static String listen(Node node, At at) {
        if (node instanceof Scalar s && s.value() instanceof String str && LISTEN_MODES.contains(str)) return str;
        String hint = node instanceof Scalar s && s.value() instanceof String str ? Suggestions.didYouMean(str, LISTEN_MODES) : "";
        return at.fail(node, "expected proxy (the daemon accepts and forwards), socket (workers accept on an"
                + " inherited socket) or auto (socket for a Node app, else proxy), got " + Node.describe(node) + hint);
    }

    static String stopSignal(Node node, At at) {
        String text = text(node, at);
        if (text == null) return null;
        var signal = Signal.parse(text);
        if (signal.isEmpty()) {
            var names = java.util.Arrays.stream(Signal.values()).map(Enum::name).toList();
            String upper = text.strip().toUpperCase(java.util.Locale.ROOT);
            String hint = upper.chars().allMatch(Character::isDigit) ? "" : Suggestions.didYouMean(
                    upper.startsWith("SIG") ? upper : "SIG" + upper, names);
            if (hint.isEmpty()) hint = "; use a name like SIGTERM, SIGINT, SIGQUIT or SIGUSR2";
            return at.fail(node, "unknown signal " + Suggestions.quote(text) + hint);
        }
        if (Set.of(Signal.SIGKILL, Signal.SIGSTOP).contains(signal.get())) {
            return at.fail(node, signal.get() + " cannot be caught; use kill_timeout to bound how long zdm waits before SIGKILL");
        }
        return signal.get().name();
    }
}
