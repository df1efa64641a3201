package zdm.net;

import io.netty.buffer.ByteBuf;
import zdm.net.ClientConnection.Mode;

/**
 * Turns a {@link ClientConnection} into a tunnel ({@link Pipe}: a tunnel protocol, bytes that are not HTTP), and keeps
 * a worker connection aside for a client that stays silent under protocol auto, which whoever speaks first on it
 * decides: a worker that speaks first makes a tunnel, a client that speaks first is sniffed as usual. Not
 * thread-safe: confined to the connection's loop.
 */
final class TunnelOpener {
    private final ClientConnection c;
    /** The client half-closed before its tunnel was open. */
    boolean clientInputEnded;
    /** A worker connection for a silent client is being opened ({@link #openUndecided}). */
    private boolean openingUndecided;

    TunnelOpener(ClientConnection connection) {
        this.c = connection;
    }

    /**
     * Pins the connection to one worker for its life; bytes read so far are forwarded first. A worker connection
     * opened while the client was silent is used if its worker is still in the rotation.
     */
    void startTunnel() {
        c.mode = Mode.TUNNEL;
        c.clock.stop(); // a tunnel may idle for good: its protocol has its own timeouts
        if (c.link != null) {
            var kept = c.link;
            c.link = null;
            c.parked = false;
            if (c.listener.upstream().reuse(kept) && kept.channel().isActive()) {
                tunnelOver(kept);
                return;
            }
            kept.close();
        }
        c.listener.upstream().open(c.client.eventLoop(), System.nanoTime() + c.listener.waitForBackendNanos(),
                new BackendHandler(c.backendSide), opened -> {
                    if (c.mode == Mode.CLOSED) {
                        if (opened != null) opened.close();
                        return;
                    }
                    if (opened == null) { // no worker within waitForBackend (or closing): the client sees EOF
                        c.close();
                        return;
                    }
                    tunnelOver(opened);
                });
    }

    private void tunnelOver(BackendLink opened) {
        c.link = opened;
        c.pipe = new Pipe(c.client, c.link.channel());
        var unread = c.in.take();
        if (unread != null) c.pipe.fromClient(unread);
        c.pipe.flushToBackend();
        if (clientInputEnded) c.pipe.clientEnded();
    }

    /**
     * A silent client may wait for the server to speak first (SMTP, MySQL), or be an HTTP client that has not sent its
     * request yet. A worker connection is opened and kept like an idle keep-alive one (so a worker leaving the
     * rotation closes it, and its drain does not wait for this client): a worker that speaks first on it makes a
     * tunnel ({@link #serverSpokeFirst}); a client that speaks first is sniffed as usual, and its first HTTP request
     * uses the connection if its worker is still in the rotation.
     */
    void openUndecided() {
        if (openingUndecided || c.link != null) return;
        openingUndecided = true;
        c.listener.upstream().open(c.client.eventLoop(), System.nanoTime() + c.listener.waitForBackendNanos(),
                new BackendHandler(c.backendSide), opened -> {
                    openingUndecided = false;
                    if (c.mode != Mode.SNIFF || c.link != null) { // the client spoke (or left) meanwhile
                        if (opened != null) opened.close();
                        return;
                    }
                    if (opened == null) { // no worker within waitForBackend (or closing), as for a tunnel
                        c.close();
                        return;
                    }
                    c.link = opened;
                    c.parked = true;
                    c.listener.upstream().park(opened);
                });
    }

    /** The worker spoke first on the connection kept for a silent client: a tunnel, with what it said. */
    void serverSpokeFirst(ByteBuf bytes) {
        if (!c.link.idleToBusy()) { // its worker left the rotation just now: try another one, which may speak too
            bytes.release();
            c.link = null;
            c.parked = false;
            openUndecided();
            return;
        }
        c.parked = false;
        c.mode = Mode.TUNNEL;
        c.clock.stop();
        tunnelOver(c.link);
        c.pipe.fromBackend(bytes);
    }

    /**
     * The worker connection kept for a silent client ended before either side spoke. Closed because its worker left
     * the rotation: another one is opened. Ended by a worker still in the rotation: so does the client's, as in a
     * tunnel.
     */
    void undecidedEnded() {
        var ended = c.link;
        c.link = null;
        c.parked = false;
        boolean workerLeft = !c.listener.upstream().inRotation(ended.backend());
        ended.close();
        if (workerLeft) openUndecided();
        else c.close();
    }
}
