package zdm.protocol;

import java.util.Map;

/**
 * Everything a client can ask the daemon. One record per request; the daemon handles them in one
 * exhaustive switch, so adding a request without a handler does not compile.
 *
 * <p>A {@code target} is an app name or {@code "all"}.
 *
 * <p>On the wire: {@link RequestCodec} (each record's name and fields).
 */
public sealed interface Request {

    /** Liveness and version check; answered with {@link Response.Pong}. */
    record Ping() implements Request {}

    /**
     * Register or update every app of an ecosystem file (absolute path) and start them. {@code env}
     * selects the apps' {@code env_<name>} blocks (null: none); {@code prune} deletes the apps that
     * came from this file earlier but are no longer in it. {@code callerEnv} is the environment of the
     * {@code zdm} command, which a {@code .js} file is evaluated in (as pm2 does). All three may be missing
     * (older clients; null: the daemon's own environment). {@code updateEnv} (pm2's --update-env): the apps also
     * get {@code callerEnv} beneath their own {@code env}.
     */
    record StartFile(String path, String env, boolean prune, Map<String, String> callerEnv, boolean updateEnv)
            implements Request {
        public StartFile(String path) {
            this(path, null, false, null);
        }

        public StartFile(String path, String env, boolean prune) {
            this(path, env, prune, null);
        }

        public StartFile(String path, String env, boolean prune, Map<String, String> callerEnv) {
            this(path, env, prune, callerEnv, false);
        }
    }

    /**
     * Register and start one app given on the command line ({@code zdm start app.js -i 2}).
     * {@code app} uses the ecosystem file's keys; relative paths resolve against {@code cwd}.
     */
    record StartInline(Map<String, Object> app, String cwd) implements Request {}

    /**
     * Start apps that are registered but stopped. With {@code env} (one app, from a file): read the
     * app's file again with its {@code env_<name>} blocks (evaluating a {@code .js} file in {@code callerEnv}, as
     * {@link StartFile}) and apply that app. {@code updateEnv} (pm2's --update-env), as for {@link Restart}: the
     * environment of the {@code zdm} command, whose variables replace the apps' own of the same name (a running app
     * whose environment changes is reloaded). All three may be missing (older clients).
     */
    record StartApps(String target, String env, Map<String, String> callerEnv, Map<String, String> updateEnv)
            implements Request {
        public StartApps(String target) {
            this(target, null, null);
        }

        public StartApps(String target, String env) {
            this(target, env, null);
        }

        public StartApps(String target, String env, Map<String, String> callerEnv) {
            this(target, env, callerEnv, null);
        }
    }

    record Stop(String target) implements Request {}

    /**
     * Stop and start every worker of the target. {@code updateEnv} (pm2's --update-env): the environment of the
     * {@code zdm} command, whose variables replace the apps' own of the same name first; null (older clients too):
     * the apps keep theirs.
     */
    record Restart(String target, Map<String, String> updateEnv) implements Request {
        public Restart(String target) {
            this(target, null);
        }
    }

    /** Rolling, zero-downtime replacement of every worker of the target; {@code updateEnv} as for {@link Restart}. */
    record Reload(String target, Map<String, String> updateEnv) implements Request {
        public Reload(String target) {
            this(target, null);
        }
    }

    record Delete(String target) implements Request {}

    record Scale(String app, int instances) implements Request {}

    record ListApps() implements Request {}

    /** Env values whose names look secret are masked unless {@code showSecrets}: they never cross the socket by default. */
    record Describe(String app, boolean showSecrets) implements Request {
        public Describe(String app) {
            this(app, false);
        }
    }

    /** The last {@code lines} lines of an app's logs ({@code target} may be "all"); {@code follow} streams new ones. */
    record Logs(String target, int lines, boolean follow, LogStream stream) implements Request {
        public Logs(String target, int lines, boolean follow) {
            this(target, lines, follow, null);
        }
    }

    /** Which of an app's log files {@link Logs} reads; null means both. */
    enum LogStream { OUT, ERR }

    /**
     * Stop every app (keeping their desired state) and then the daemon: {@code zdm kill}. With
     * {@code keepWorkers} ({@code zdm kill --keep-workers}), the workers of {@code listen: socket}
     * apps are left serving on their inherited socket, for the next daemon to take over without a gap
     * (restarting or upgrading zdm); apps behind the proxy stop as usual, since their port closes with
     * the daemon. Older clients send no field: false.
     */
    record Shutdown(boolean keepWorkers) implements Request {
        public Shutdown() {
            this(false);
        }
    }

    /**
     * The newest {@code limit} events of {@code app} (null = every app and the daemon's own) at or after
     * {@code sinceMs} (epoch ms, 0 = any), oldest first, as {@link Response.Event}s; {@code follow}
     * then streams new ones until the client hangs up.
     */
    record Events(String app, int limit, long sinceMs, boolean follow) implements Request {}

    /** Empties the log files of the target's apps (rotated ones are deleted). */
    record Flush(String target) implements Request {}

    /**
     * {@code zdm dashboard}: the link that opens the web dashboard (answered with {@link Response.Done},
     * whose message is the link), or a failure saying it is off. With {@code enable}, it is turned on
     * first (where it was last served, or 127.0.0.1:9210).
     */
    record Dashboard(boolean enable) implements Request {}

    /**
     * The CLI's fast path: run the command line {@code args} in the daemon, as the caller would have
     * run it (zdm.cli.DaemonCommands), answered with {@link Response.Output}s and {@link Response.Exit},
     * or {@link Response.RunHere} when the client must run it itself. What the output depends on
     * comes along: the caller's working directory, environment and time zone, and whether its stdout
     * is a terminal ({@code colour}, {@code width} 0 when unknown). {@code build} is the client's
     * build (zdm.cli.LaunchConf): a daemon of another build answers RunHere, so the command tree
     * that runs is always the client's own.
     */
    record Run(java.util.List<String> args, String cwd, Map<String, String> env, String zone,
               boolean terminal, boolean colour, int width, String build) implements Request {}
}
