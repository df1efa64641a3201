package zdm.cli;

import java.util.List;
import java.util.Map;

/**
 * What a pm2 or supervisorctl user types that is not a zdm command, and the zdm way to do it: the
 * hint that replaces picocli's spelling suggestions for these words. Suggestions of commands that
 * destroy something are never made for a word zdm does not know. Stateless.
 */
final class ForeignVerbs {
    private static final String STATE_IS_KEPT = "not needed: zdm keeps its state automatically (zdm.db) and the daemon"
            + " restores the apps that were running when it starts";
    private static final String REREAD = "zdm start <file> re-reads an ecosystem file and reloads only the apps that changed"
            + " (--prune also deletes the ones gone from it)";

    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("jlist", "zdm ls --json prints the apps as JSON"),
            Map.entry("prettylist", "zdm ls --json | jq . prints the apps as JSON"),
            Map.entry("save", STATE_IS_KEPT),
            Map.entry("dump", STATE_IS_KEPT),
            Map.entry("resurrect", STATE_IS_KEPT),
            Map.entry("reset", "pm2's reset (zero the restart counters) has no zdm command; zdm events <app> shows every"
                    + " restart with its time"),
            Map.entry("env", "zdm describe <app> shows an app's environment (secret-looking values masked)"),
            Map.entry("tail", "zdm logs <app> -f follows an app's logs (zdm logs -f: every app's)"),
            Map.entry("avail", "zdm ls shows every app and its state"),
            Map.entry("pid", "zdm ls shows each worker's pid (zdm ls --json for scripts)"),
            Map.entry("id", "zdm has no numeric ids: commands take the app's name (zdm ls lists them)"),
            Map.entry("reread", REREAD),
            Map.entry("update", REREAD),
            Map.entry("add", "zdm start <file> or zdm start <script> registers and starts apps"),
            Map.entry("deploy", "zdm does not deploy code; see docs/migrating-from-pm2.md"));

    /** Commands never suggested for a word zdm does not know: a typo must not lead to losing something. */
    static final List<String> NEVER_SUGGESTED = List.of("delete", "del", "kill", "flush", "unstartup");

    private ForeignVerbs() {}

    /** The words with a hint: none may be a zdm command or alias, whose own meaning would win. */
    static java.util.Set<String> words() {
        return HINTS.keySet();
    }

    /** The zdm way for a pm2 or supervisorctl word, or null. */
    static String hint(String word) {
        return HINTS.get(word);
    }
}
