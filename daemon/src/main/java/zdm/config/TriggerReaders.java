package zdm.config;

import java.util.ArrayList;
import java.util.List;
import zdm.config.Node.Scalar;
import zdm.config.Node.Sequence;
import zdm.config.Problems.At;

/**
 * Readers of the keys that make zdm act on its own (pm2's names and value forms): {@code cron_restart},
 * {@code watch}, {@code ignore_watch}, {@code stop_exit_codes}. Stateless.
 */
final class TriggerReaders {

    private TriggerReaders() {}

    /** A cron expression (kept as written), or "" for pm2's {@code 0} / {@code "0"}: none. */
    static String cron(Node node, At at) {
        String text = ValueReaders.text(node, at);
        if (text == null) return null;
        if (text.strip().equals("0")) return "";
        try {
            return Cron.parse(text).text();
        } catch (Cron.Invalid e) {
            return at.fail(node, e.getMessage());
        }
    }

    /** {@code true} (the app's cwd), {@code false}, a path, or a list of paths: the paths as written. */
    static List<String> watch(Node node, At at) {
        if (node instanceof Scalar s && s.value() instanceof Boolean b) return b ? List.of(".") : List.of();
        if (node instanceof Scalar s && ("true".equals(s.value()) || "false".equals(s.value()))) {
            return "true".equals(s.value()) ? List.of(".") : List.of();
        }
        var paths = patterns(node, at);
        if (paths == null) return null;
        return paths.isEmpty() ? List.of(".") : paths; // pm2: an empty list watches the cwd
    }

    /** One string, or a list of strings (each one pattern; never split). */
    static List<String> patterns(Node node, At at) {
        if (node instanceof Sequence seq) {
            var out = new ArrayList<String>();
            for (int i = 0; i < seq.items().size(); i++) {
                String text = ValueReaders.text(seq.items().get(i), at.child("[" + i + "]"));
                if (text == null) return null;
                out.add(text);
            }
            return List.copyOf(out);
        }
        String one = ValueReaders.text(node, at);
        return one == null ? null : List.of(one);
    }

    /** An exit code (0 to 255) or a list of them. */
    static List<Integer> exitCodes(Node node, At at) {
        var items = node instanceof Sequence seq ? seq.items() : List.of(node);
        var out = new ArrayList<Integer>();
        for (int i = 0; i < items.size(); i++) {
            var item = items.get(i);
            At itemAt = node instanceof Sequence ? at.child("[" + i + "]") : at;
            if (!(item instanceof Scalar s) || s.text() == null || !s.text().matches("\\d{1,3}")
                    || Integer.parseInt(s.text()) > 255) {
                return itemAt.fail(item, "expected an exit code from 0 to 255" + (node instanceof Sequence ? "" : " or a list of them")
                        + ", got " + Node.describe(item));
            }
            out.add(Integer.parseInt(s.text()));
        }
        return List.copyOf(out);
    }
}
