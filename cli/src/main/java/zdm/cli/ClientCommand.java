package zdm.cli;

import zdm.view.AppTable;
import zdm.view.Tty;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import zdm.protocol.AppView;
import zdm.protocol.Request;
import zdm.protocol.Response;

/**
 * Base of the commands that talk to the daemon: the shared options, the writers, sending a request
 * while streaming progress and log lines to stdout, and printing the common final answers.
 */
abstract class ClientCommand implements Callable<Integer>, CallerBound {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @ParentCommand
    ZdmCommand root;

    private Tty tty;

    /** Most commands can run anywhere: in the daemon, for the fast path. */
    @Override
    public boolean needsCallersProcess() {
        return false;
    }

    /** What stdout can do (colour, width); asked once per command. */
    Tty tty() {
        if (tty == null) tty = root.context().tty();
        return tty;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    DaemonClient client() {
        return root.context().client(err());
    }

    /** The caller's time zone, in which times are printed. */
    java.time.ZoneId zone() {
        return root.context().zone();
    }

    /** The caller's environment (empty in tests). */
    java.util.Map<String, String> callerEnvironment() {
        return root.context().environment();
    }

    /** A usage error found after parsing: reported like picocli's own (exit 2, help hint). */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Sends {@code request} (auto-starting the daemon); a {@link Response.Failed} becomes a {@link CliException}. */
    Response send(Request request) throws CliException {
        try {
            return succeeded(client().call(request, this::printPartial));
        } finally {
            if (progressLine != null) progressLine.close(); // the final answer prints below, not after the status
        }
    }

    private ProgressLine progressLine;

    /** Progress lines: on a terminal with a redrawn status line below them, elsewhere plain. */
    private void printProgress(String line) {
        if (!tty().terminal()) {
            out().println(line);
            return;
        }
        if (progressLine == null) progressLine = new ProgressLine(out());
        progressLine.line(line);
    }

    static Response succeeded(Response response) throws CliException {
        if (response instanceof Response.Failed failed) throw CliException.of(failed);
        return response;
    }

    /** Progress and log lines go to stdout as they arrive; a closed stdout ends the command. */
    void printPartial(Response response) {
        switch (response) {
            case Response.Progress p -> printProgress(p.line());
            case Response.LogLine l -> out().println(LogLines.render(l.line(), zone(), tty()));
            case Response.Event e -> out().println(EventLine.render(e.event(), zone(), tty()));
            default -> { } // a newer daemon's extra notices: nothing to show
        }
        if (out().checkError()) throw new OutputClosedException(); // checkError also flushes
    }

    /**
     * Prints the final answer of start/stop/restart/delete/scale: its message, then the table if any.
     * The command fails (exit 1) when an app that should run has a worker that is not online once
     * the daemon has settled: errored, or crashed and waiting to restart (a finished one-shot job is fine).
     */
    int printResult(Response response) throws CliException {
        int code = ExitCodes.OK;
        switch (response) {
            case Response.Apps apps -> {
                printMessage(apps.message());
                out().print(AppTable.render(apps.apps(), tty()));
                for (var app : apps.apps()) {
                    long notOnline = workersNotOnline(app);
                    if (notOnline > 0) {
                        err().println("zdm: " + app.name() + ": " + notOnline + " of " + app.workers().size()
                                + " workers not online (" + app.status() + "); see 'zdm logs " + app.name() + "'");
                        code = ExitCodes.FAILED;
                    }
                }
            }
            case Response.Done done -> printMessage(done.message());
            default -> throw unexpected(response);
        }
        out().flush();
        err().flush();
        return code;
    }

    /**
     * The workers of an app that should run which are not online: 0 for an app stopped as asked. A one-shot
     * job's worker that finished (stopped after exit 0, autorestart off) did what it should, so it counts as done.
     */
    static long workersNotOnline(AppView app) {
        return switch (app.desired()) {
            case STOPPED -> 0;
            case RUNNING -> app.workers().stream().filter(w -> switch (w.state()) {
                case ONLINE -> false;
                case STOPPED -> !"code 0".equals(w.lastExit());
                case STARTING, DRAINING, STOPPING, WAITING_RESTART, ERRORED -> true;
            }).count();
        };
    }

    /**
     * Sends a request whose lines stream back (logs, events), printing them as they come, then the
     * final message. With {@code follow}, the daemon closing the stream (e.g. {@code zdm kill}) is its
     * normal end, not an error, and so is {@code q} inside the shell ({@link FollowKeys}).
     */
    int stream(Request request, boolean follow) throws CliException {
        Response response;
        FollowKeys keys = follow ? FollowKeys.inShell(Thread.currentThread()) : null;
        try {
            response = send(request);
        } catch (ConnectionClosedException e) {
            if (follow) return ExitCodes.OK;
            throw e;
        } catch (CliException e) {
            if (keys != null && keys.quit()) {
                Thread.interrupted(); // q ended the follow: back to the shell's prompt, no error
                return ExitCodes.OK;
            }
            throw e;
        } finally {
            if (keys != null) keys.close();
        }
        if (response instanceof Response.Done done) {
            printMessage(done.message());
            out().flush();
            return ExitCodes.OK;
        }
        throw unexpected(response);
    }

    void printMessage(String message) {
        if (message != null && !message.isBlank()) out().println(message);
    }

    static CliException unexpected(Response response) {
        return new CliException(ExitCodes.FAILED, "unexpected answer from the daemon: "
                + response.getClass().getSimpleName() + "; is the daemon the same version as this zdm? (zdm version)");
    }
}
