package zdm.config;

import java.util.List;
import zdm.config.Node.Mapping;
import zdm.config.Node.Pos;
import zdm.config.Node.Sequence;

/**
 * The top level of an ecosystem file, for {@link EcosystemLoader}: the {@code apps:} list, and the daemon-wide
 * {@code metrics:} and {@code dashboard:} blocks; any other key is refused, with a hint that app settings go
 * under {@code apps:}.
 */
final class TopLevel {
    static final List<String> KEYS = List.of("apps", "metrics", "dashboard");

    private TopLevel() {}

    /** The top-level metrics: key, or null when absent (or invalid: reported). */
    static MetricsSetting metrics(Node root, Problems problems) {
        if (!(root instanceof Mapping top) || !top.entries().containsKey("metrics")) return null;
        return MetricsSetting.read(top.entries().get("metrics").value(), new Problems.At("metrics", problems));
    }

    /** The top-level dashboard: block, or null when absent (or invalid: reported). */
    static DashboardSetting dashboard(Node root, Problems problems) {
        if (!(root instanceof Mapping top) || !top.entries().containsKey("dashboard")) return null;
        return DashboardSetting.read(top.entries().get("dashboard").value(), new Problems.At("dashboard", problems));
    }

    /** The items of {@code apps:}, after checking the top level. */
    static List<Node> apps(Node root, Problems problems) {
        if (root == null) {
            problems.add(new Pos(1, 1), "", "the file is empty; expected a mapping with an apps: list");
            return List.of();
        }
        if (!(root instanceof Mapping top)) {
            problems.add(root.pos(), "", "expected a mapping with an apps: list at the top level, got " + Node.describe(root));
            return List.of();
        }
        for (var entry : top.entries().values()) {
            if (!KEYS.contains(entry.key())) {
                problems.add(entry.keyPos(), entry.key(),
                        "unknown key" + Suggestions.didYouMean(entry.key(), KEYS) + " (app settings go under apps:)");
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
}
