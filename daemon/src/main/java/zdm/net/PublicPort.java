package zdm.net;

/**
 * The daemon-owned public port of an app, open for the app's whole life: either a proxy that
 * accepts and forwards ({@link PortListener}, {@code listen: proxy}) or a listening socket the
 * workers inherit and accept on themselves ({@link SharedSocket}, {@code listen: socket}).
 */
public sealed interface PublicPort extends AutoCloseable permits PortListener, SharedSocket {
    /** The bound port. */
    int port();

    /** Stops listening (for a shared socket: the daemon's copy; workers keep theirs until they exit). */
    @Override
    void close();
}
