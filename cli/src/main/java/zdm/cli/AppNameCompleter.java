package zdm.cli;

import java.util.List;
import org.jline.reader.Candidate;

/**
 * Completes an app argument with the names of the apps the daemon has right now (fetched on each
 * Tab, never starting a daemon), plus the fixed words of its {@link AppCandidates} ({@code all}).
 */
final class AppNameCompleter {
    private static final String GROUP = "apps";

    private final DaemonPeek peek;

    AppNameCompleter(DaemonPeek peek) {
        this.peek = peek;
    }

    void complete(AppCandidates kind, List<Candidate> candidates) {
        for (String name : peek.appNames()) candidates.add(candidate(name, null));
        for (String word : kind) candidates.add(candidate(word, "all".equals(word) ? "every app" : null));
    }

    private static Candidate candidate(String value, String description) {
        return new Candidate(value, value, GROUP, description, null, null, true);
    }
}
