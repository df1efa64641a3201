package zdm.cli;

import java.util.Iterator;
import java.util.List;

/**
 * The {@code completionCandidates} of a parameter that names an app. To picocli these are the fixed
 * words the parameter accepts besides app names ({@code all} where it does); the shell's completion
 * recognizes this type and adds the names of the apps the daemon has at that moment.
 */
class AppCandidates implements Iterable<String> {
    private final List<String> fixed;
    private final boolean files;

    /** An app name only. */
    AppCandidates() {
        this(List.of(), false);
    }

    private AppCandidates(List<String> fixed, boolean files) {
        this.fixed = fixed;
        this.files = files;
    }

    /** An app name or {@code all}. */
    static final class OrAll extends AppCandidates {
        OrAll() {
            super(List.of("all"), false);
        }
    }

    /** An app name, {@code all}, or a file (an ecosystem file or a script): start's target. */
    static final class OrAllOrFile extends AppCandidates {
        OrAllOrFile() {
            super(List.of("all"), true);
        }
    }

    /** Whether file names complete this parameter too. */
    boolean files() {
        return files;
    }

    @Override
    public Iterator<String> iterator() {
        return fixed.iterator();
    }
}
