package zdm.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import zdm.config.DashboardSetting;
import zdm.log.DaemonLog;
import zdm.net.HttpListener;
import zdm.proc.PrivateHome;
import zdm.protocol.Paths;

/**
 * The daemon's opt-in web dashboard (see docs/dashboard.md): off until an ecosystem file's
 * {@code dashboard:} block or {@code zdm dashboard --enable} turns it on. The address is kept in
 * {@code $ZDM_HOME/dashboard.listen} so that a restarted daemon serves it again, the token in
 * {@code dashboard.token}. Requests are served on virtual threads ({@link HttpListener}, as
 * the metrics endpoint). Thread-safe: changes are serialised by the monitor (they bind or close the
 * socket under it, so two changes cannot leave two servers); requests never take it.
 */
public final class DashboardServer implements AutoCloseable {
    private final Path stateFile;
    private final Path tokenFile;
    private final ControlLink link;
    private final HttpListener<DashboardSetting.Listen> http = new HttpListener<>(); // guarded by this
    private Access access; // guarded by this

    public DashboardServer(Paths paths) {
        this.stateFile = paths.home().resolve("dashboard.listen");
        this.tokenFile = paths.home().resolve("dashboard.token");
        this.link = new ControlLink(paths.socket());
    }

    /** At start-up: serves the address a previous daemon was told to, if any. A failure is logged, not fatal. */
    public void restore() {
        try {
            if (!Files.exists(stateFile) || savedOff()) return;
            String error = configure(saved());
            if (error != null) DaemonLog.warn(error);
        } catch (IOException | RuntimeException e) {
            DaemonLog.warn("dashboard: cannot read " + stateFile + " (" + e.getMessage() + "); not serving the dashboard");
        }
    }

    /** {@code zdm dashboard --enable}: serves where it was last told to (or 127.0.0.1:9210); null or a one-line reason. */
    public synchronized String enable() {
        if (http.serving() != null) return null;
        try {
            return configure(Files.exists(stateFile) ? saved() : DashboardSetting.Listen.byDefault());
        } catch (IOException | RuntimeException e) {
            return configure(DashboardSetting.Listen.byDefault());
        }
    }

    /** Applies a file's {@code dashboard:}; returns null, or a one-line reason (the old server then stays). */
    public synchronized String configure(DashboardSetting setting) {
        switch (setting) {
            case DashboardSetting.Off off -> {
                var was = http.serving();
                http.stop();
                if (was != null) save("off " + was.host() + " " + was.port()); // --enable serves there again
                return null;
            }
            case DashboardSetting.Listen listen -> {
                if (listen.equals(http.serving())) return null;
                if (!DashboardSetting.isLoopback(listen.host())) {
                    return "dashboard: " + DashboardSetting.notLoopback(listen.host(), listen.port());
                }
                try {
                    if (access == null) access = Access.load(tokenFile);
                } catch (IOException e) {
                    return "dashboard: cannot read or make its token " + tokenFile + " (" + e.getMessage() + ")";
                }
                var access = this.access;
                String error = http.replace(listen, listen.host(), listen.port(), port -> new Pages(access, port, link));
                if (error != null) {
                    return "dashboard: cannot listen on " + listen.display() + " (" + error
                            + "); choose another port with dashboard: {listen: <port>} in the ecosystem file";
                }
                save(listen.host() + " " + listen.port());
                DaemonLog.info("dashboard: serving http://" + listen.display() + "/");
                return null;
            }
        }
    }

    /** The link that opens the page (it carries the token once), or null when the dashboard is off. */
    public synchronized String link() {
        var current = http.serving();
        if (current == null) return null;
        var shown = new DashboardSetting.Listen(current.host(), http.port());
        return "http://" + shown.display() + "/?token=" + access.token();
    }

    /** {@code host port} while serving, {@code off host port} once turned off (the address --enable goes back to). */
    private void save(String line) {
        try {
            PrivateHome.writeString(stateFile, line + "\n");
        } catch (IOException e) {
            DaemonLog.warn("dashboard: cannot save " + stateFile + ": " + e.getMessage());
        }
    }

    private boolean savedOff() throws IOException {
        return Files.readString(stateFile).startsWith("off ");
    }

    private DashboardSetting.Listen saved() throws IOException {
        String[] words = Files.readString(stateFile).trim().split(" ");
        int at = words[0].equals("off") ? 1 : 0;
        return new DashboardSetting.Listen(words[at], Integer.parseInt(words[at + 1]));
    }

    @Override
    public synchronized void close() {
        http.stop();
    }
}
