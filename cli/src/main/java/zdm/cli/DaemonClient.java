package zdm.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import zdm.client.DaemonIdentity;
import zdm.client.SilenceGuard;
import zdm.client.TerminalText;
import zdm.protocol.Paths;
import zdm.protocol.ProtocolException;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/**
 * Sends requests to the daemon of one zdm home over its Unix socket, one connection per request.
 * Immutable; calls from several threads are independent, but share the {@code notices} writer
 * (the auto-start notice), which is not synchronized.
 */
public final class DaemonClient {
    /** How long the CLI waits for the daemon's next word: {@link SilenceGuard#REPLY_TIMEOUT}. */
    static final java.time.Duration REPLY_TIMEOUT = SilenceGuard.REPLY_TIMEOUT;

    private final Paths paths;
    private final DaemonStarter starter;
    private final PrintWriter notices;

    public DaemonClient(Paths paths, DaemonStarter starter, PrintWriter notices) {
        this.paths = paths;
        this.starter = starter;
        this.notices = notices;
    }

    /**
     * Sends {@code request}, starting the daemon first when none is running, hands every non-final
     * response to {@code onPartial} and returns the final one (which may be {@link Response.Failed}).
     */
    public Response call(Request request, Consumer<Response> onPartial) throws CliException {
        SocketChannel ch = connect();
        if (ch == null) {
            Response.Pong pong = starter.start(paths);
            notices.println("zdm: daemon was not running; started it (pid " + pong.pid() + ", home " + pong.home() + ")");
            notices.flush();
            ch = connect();
            if (ch == null) {
                throw new CliException(ExitCodes.DAEMON, "the daemon started but does not accept connections on "
                        + paths.socket() + " (see " + paths.daemonLog() + ")");
            }
        }
        reportStateLoss();
        return exchange(ch, request, onPartial);
    }

    /** Like {@link #call} but never starts a daemon: empty when none is running. */
    public Optional<Response> callIfRunning(Request request, Consumer<Response> onPartial) throws CliException {
        SocketChannel ch = connect();
        if (ch != null) reportStateLoss();
        return ch == null ? Optional.empty() : Optional.of(exchange(ch, request, onPartial));
    }

    /**
     * The daemon had to start with an empty state (its zdm.db was empty or damaged, now moved aside):
     * say so once, on the user's next command. The quiet clients (the launcher's pings, the shell
     * prompt's peeks, which never start a daemon) leave the notice for that command.
     */
    private void reportStateLoss() {
        if (starter == DaemonStarter.NEVER) return;
        var notice = paths.stateLost();
        try {
            if (!Files.isRegularFile(notice, LinkOption.NOFOLLOW_LINKS)) return;
            String text = Files.readString(notice).strip();
            Files.deleteIfExists(notice);
            if (text.isEmpty()) return;
            notices.println("zdm: " + text.lines().findFirst().orElse(""));
            notices.flush();
        } catch (IOException e) {
            // the daemon's log and its first event say it too
        }
    }

    /** The daemon's pong, or empty when none is running (or it closed the connection while starting up). */
    public Optional<Response.Pong> ping() throws CliException {
        Optional<Response> answer;
        try {
            answer = callIfRunning(new Request.Ping(), r -> {});
        } catch (ConnectionClosedException e) {
            return Optional.empty();
        }
        if (answer.isEmpty()) return Optional.empty();
        return switch (answer.get()) {
            case Response.Pong pong -> Optional.of(pong);
            case Response.Failed failed -> throw CliException.of(failed);
            default -> throw new CliException(ExitCodes.DAEMON, "the daemon answered ping with "
                    + answer.get().getClass().getSimpleName() + " (see " + paths.daemonLog() + ")");
        };
    }

    /** An open connection, or null when no daemon listens (no socket file, or a stale one). */
    private SocketChannel connect() throws CliException {
        var socket = paths.socket();
        int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > Paths.MAX_SOCKET_PATH_BYTES) {
            throw new CliException(ExitCodes.DAEMON, "the socket path " + socket + " is " + length
                    + " bytes, longer than the " + Paths.MAX_SOCKET_PATH_BYTES
                    + " a Unix socket allows; set ZDM_HOME to a shorter directory");
        }
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return null;
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            String refusal = DaemonIdentity.refusal(ch, socket);
            if (refusal != null) {
                closeQuietly(ch);
                throw new CliException(ExitCodes.DAEMON, refusal);
            }
            return ch;
        } catch (ConnectException e) {
            closeQuietly(ch);
            return null; // ECONNREFUSED: a stale socket file left by a daemon that died
        } catch (ClosedByInterruptException e) {
            throw interrupted(e);
        } catch (IOException e) {
            closeQuietly(ch);
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return null; // removed while we connected
            throw new CliException(ExitCodes.DAEMON, "cannot connect to the daemon at " + socket + ": "
                    + e.getMessage(), List.of(), e);
        }
    }

    private Response exchange(SocketChannel ch, Request request, Consumer<Response> onPartial) throws CliException {
        var silence = new SilenceGuard(ch, following(request) ? null : REPLY_TIMEOUT);
        try (ch; silence) {
            Wire.send(ch, request);
            while (true) {
                silence.arm();
                byte[] frame = Wire.readFrame(ch);
                silence.disarm();
                if (frame == null) throw new ConnectionClosedException(paths.daemonLog(), null);
                Response response = safeForTerminal(Wire.decodeResponse(frame));
                if (response.isFinal()) return response;
                onPartial.accept(response);
            }
        } catch (ClosedByInterruptException e) {
            throw interrupted(e);
        } catch (EOFException e) {
            throw new ConnectionClosedException(paths.daemonLog(), e);
        } catch (IOException e) {
            if (silence.fired()) {
                throw new CliException(ExitCodes.DAEMON, stuck(paths), List.of(), e);
            }
            // ECONNRESET or EPIPE: the daemon went away while we talked to it.
            throw new ConnectionClosedException(paths.daemonLog(), e);
        } catch (ProtocolException e) {
            throw new CliException(ExitCodes.DAEMON, e.getMessage() + " (see " + paths.daemonLog() + ")",
                    List.of(), e);
        }
    }

    /** What the CLI says when the daemon stays silent past {@link #REPLY_TIMEOUT}. */
    static String stuck(Paths paths) {
        return SilenceGuard.stuck(paths.daemonLog());
    }

    /** Streams that are silent while nothing happens: no timeout for them. */
    private static boolean following(Request r) {
        return r instanceof Request.Logs l && l.follow() || r instanceof Request.Events e && e.follow();
    }

    /** The daemon's words as the user will see them: control characters escaped (see {@link TerminalText}). */
    private static Response safeForTerminal(Response r) {
        return switch (r) {
            case Response.Failed f -> new Response.Failed(f.kind(), TerminalText.safe(f.message()),
                    f.details() == null ? List.of() : f.details().stream().map(TerminalText::safe).toList());
            case Response.Progress p -> new Response.Progress(TerminalText.safe(p.line()));
            case Response.Done d -> new Response.Done(TerminalText.safe(d.message()));
            default -> r;
        };
    }

    private static CliException interrupted(Exception e) {
        return new CliException(ExitCodes.INTERRUPTED, "interrupted", List.of(), e);
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was sent; the failure to connect is what matters
        }
    }
}
