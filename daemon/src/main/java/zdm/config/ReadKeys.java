package zdm.config;

import java.util.Map;
import java.util.function.Function;

/**
 * One app's keys as the rules that involve several keys see them ({@link ReadinessRules},
 * {@link CommandRules}, {@link CombinationRules}).
 *
 * @param nodes  the keys written, with their values as written
 * @param values the keys read successfully
 * @param at     where to report a problem with a key
 */
record ReadKeys(Map<AppKey, Node> nodes, Map<AppKey, Object> values, Function<AppKey, Problems.At> at) {

    /** Absent (so its default applies) or read successfully. */
    boolean valid(AppKey key) {
        return !nodes.containsKey(key) || values.containsKey(key);
    }

    boolean written(AppKey key) {
        return nodes.containsKey(key);
    }

    /** The value read, or the key's default when it is absent. */
    @SuppressWarnings("unchecked")
    <T> T get(AppKey key) {
        return (T) values.getOrDefault(key, key.fallback);
    }

    /** Reports a problem with the key's value; returns null, the rules' "invalid". */
    <T> T fail(AppKey key, String message) {
        return at.apply(key).fail(nodes.get(key), message);
    }
}
