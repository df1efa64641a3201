package zdm.supervisor;

import java.io.IOException;
import java.util.List;
import zdm.net.ListenAddress;
import zdm.net.SharedSocket;

/**
 * pm2's cluster mode for a Node app without {@code port:} ({@link zdm.config.NetworkSpec#learnsPort}): a worker's
 * {@code listen(process.env.PORT || 3000)} is held back by zdm's preload, which tells the daemon the port
 * ({@link PortRequest}); the daemon binds it once ({@link SharedSocket}, on the address the app asked for),
 * remembers it for the app's next start, and stops every worker that does not have that socket yet to start it
 * again at once with the socket as fd 3 (learn, then relaunch: none of them was serving, since none could listen).
 * From then on the app runs as in {@code listen: socket}: one accept queue, zero-downtime reloads.
 *
 * <p>A worker that asks for another port while other workers serve on the app's socket (its code changed) is
 * refused: the port moves with a restart, not under live traffic. Runs on the loop, for {@link App}.
 */
final class PortLearning {
    private PortLearning() {}

    static void onRequest(App app, Worker w, int gen, String request) {
        if (w.generation() != gen || w.relaunching()
                || !(w.state() instanceof WorkerState.Starting || w.state() instanceof WorkerState.Online)) return;
        String name = app.name();
        ListenAddress where;
        try {
            where = ListenAddress.parse(request);
        } catch (IllegalArgumentException e) {
            refuse(app, w, gen, "listens on '" + request.strip() + "', which zdm cannot bind (" + e.getMessage() + ")");
            return;
        }
        var socket = app.publicPort() instanceof SharedSocket s ? s : null;
        if (socket == null || !socket.where().equals(where)) {
            if (w.role() != Worker.Role.SERVING) {
                refuse(app, w, gen, "listens on " + where.display() + (socket == null ? "" : ", not on the app's "
                        + socket.where().display()) + "; restart the app to move it ('zdm restart " + name + "')");
                return;
            }
            var users = onSocket(app, socket);
            if (!users.isEmpty()) {
                refuse(app, w, gen, "listens on " + where.display() + ", but worker " + users.getFirst().id
                        + " serves on the app's " + socket.where().display() + "; restart the app to move it ('zdm restart "
                        + name + "')");
                return;
            }
            try {
                app.adoptListener(SharedSocket.open(name, where));
            } catch (IOException e) {
                refuse(app, w, gen, e.getMessage());
                return;
            }
            app.ctx().rememberPort(name, where);
            app.ctx().event(name, w.id, "port-learned", "the app listens on " + where.display()
                    + "; the daemon bound it once, every worker shares it (remembered for the next start)");
        }
        for (var x : app.workers()) {
            if (x.role() == Worker.Role.SERVING && x.socket() != app.publicPort() && !x.relaunching()
                    && (x.state() instanceof WorkerState.Starting || x.state() instanceof WorkerState.Online)) {
                x.markRelaunching();
                StopSequence.begin(app, x);
            }
        }
    }

    /** Workers with a process that inherited {@code socket} (none when it is null). */
    private static List<Worker> onSocket(App app, SharedSocket socket) {
        return app.allWorkers().stream().filter(x -> socket != null && x.socket() == socket && x.state().hasProcess()).toList();
    }

    /** The worker cannot get the port it listens on: a failed start (it would never serve), or a note if it is online. */
    private static void refuse(App app, Worker w, int gen, String why) {
        if (w.state() instanceof WorkerState.Starting) {
            WorkerStarts.onNotReady(app, w, gen, why);
        } else {
            app.ctx().event(app.name(), w.id, "listen-refused", why);
            app.ctx().logs().note(app.name(), "worker " + w.id + " " + why);
        }
    }
}
