package zdm.cli;

import java.util.ArrayList;
import java.util.List;
import zdm.protocol.AppView;

/**
 * The shell's prompt, which shows the daemon's state: {@code zdm (3 apps, 1 errored)> }. Each
 * prompt costs one list request (see {@link DaemonPeek}). Remembers whether the last look found a
 * daemon, so that the shell can tell the user when it went away in between. Used by the shell's
 * thread only.
 */
final class ShellPrompt {
    /** App statuses worth a count in the prompt: the ones that need the operator's attention. */
    private static final List<AppView.Status> NOTABLE = List.of(AppView.Status.ERRORED, AppView.Status.DEGRADED);

    private final DaemonPeek peek;
    private boolean sawDaemon;

    ShellPrompt(DaemonPeek peek) {
        this.peek = peek;
    }

    /** Looks at the daemon and returns the prompt for the next line. */
    String next() {
        DaemonPeek.Sight sight = peek.look();
        sawDaemon = sight instanceof DaemonPeek.Sight.Apps;
        return render(sight);
    }

    /** True if the last prompt found a daemon running. */
    boolean sawDaemon() {
        return sawDaemon;
    }

    static String render(DaemonPeek.Sight sight) {
        String state = switch (sight) {
            case DaemonPeek.Sight.Apps(List<AppView> apps) -> summary(apps);
            case DaemonPeek.Sight.NoDaemon() -> "no daemon";
            case DaemonPeek.Sight.Busy() -> "daemon busy";
            case DaemonPeek.Sight.Unreachable(String why) -> "daemon unreachable";
        };
        return "zdm (" + state + ")> ";
    }

    static String summary(List<AppView> apps) {
        if (apps.isEmpty()) return "no apps";
        var parts = new ArrayList<String>();
        parts.add(apps.size() + (apps.size() == 1 ? " app" : " apps"));
        for (var status : NOTABLE) {
            long n = apps.stream().filter(a -> a.status() == status).count();
            if (n > 0) parts.add(n + " " + status);
        }
        return String.join(", ", parts);
    }
}
