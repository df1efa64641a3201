package zdm.protocol;

/**
 * Which fields a request cannot do without. JSON lets a client leave any field out or send it as
 * null; a request missing one of these is answered BAD_REQUEST (naming the field) instead of
 * reaching a handler that would fail on it. The switch is exhaustive: a new request type does not
 * compile until it says what it needs. Stateless.
 */
final class RequiredFields {
    private RequiredFields() {}

    /** The first required field that is null, as the client should have sent it, or null when none is. */
    static String firstMissing(Request request) {
        return switch (request) {
            case Request.Ping p -> null;
            case Request.StartFile f -> f.path() == null ? "path (the ecosystem file's absolute path)" : null;
            case Request.StartInline i -> i.app() == null ? "app (the app's keys)" : i.cwd() == null ? "cwd (a directory)" : null;
            case Request.StartApps s -> target(s.target());
            case Request.Stop s -> target(s.target());
            case Request.Restart r -> target(r.target());
            case Request.Reload r -> target(r.target());
            case Request.Delete d -> target(d.target());
            case Request.Scale s -> s.app() == null ? "app (an app name)" : null;
            case Request.ListApps l -> null;
            case Request.Describe d -> d.app() == null ? "app (an app name)" : null;
            case Request.Logs l -> target(l.target());
            case Request.Shutdown s -> null;
            case Request.Events e -> null; // a null app means every app
            case Request.Flush f -> target(f.target());
            case Request.Dashboard d -> null;
            case Request.Run r -> r.args() == null ? "args (the command line's words)" : r.cwd() == null ? "cwd (a directory)"
                    : r.env() == null ? "env (the caller's environment)" : r.zone() == null ? "zone (a time zone id)"
                    : r.build() == null ? "build (the client's build)" : null;
        };
    }

    private static String target(String target) {
        return target == null ? "target (an app name or \"all\")" : null;
    }
}
