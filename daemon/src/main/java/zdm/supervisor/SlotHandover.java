package zdm.supervisor;

import zdm.proc.ProcessIdentity;

/**
 * A slot's worker changing hands during a {@link RollingReload}: a candidate takes the slot, or one that failed is
 * let go; and what the store keeps of a slot (its serving worker and its second process) for the next daemon.
 * Works on its {@link App}'s state, on the loop.
 */
final class SlotHandover {
    private SlotHandover() {}

    /** The candidate takes the slot (and the rotation); the old worker leaves as outgoing, draining first. */
    static void replace(App app, Worker old, Worker replacement) {
        replacement.inheritCounters(old);
        replacement.becomes(Worker.Role.SERVING);
        app.putServing(replacement);
        old.becomes(Worker.Role.OUTGOING);
        if (old.state().hasProcess()) {
            app.outgoing().add(old);
            StopSequence.begin(app, old);
        }
        persist(app, replacement.id);
        app.updateRotation();
    }

    /** A candidate that failed or is no longer wanted: outgoing, stopped like any worker (drain, signal, SIGKILL). */
    static void discard(App app, Worker candidate) {
        candidate.becomes(Worker.Role.OUTGOING);
        if (!candidate.state().hasProcess()) return;
        app.outgoing().add(candidate);
        StopSequence.begin(app, candidate);
        persist(app, candidate.id);
    }

    /** Records the slot's serving worker and its second process (a candidate or an old one), if any. */
    static void persist(App app, int id) {
        var serving = app.serving(id);
        ProcessIdentity other = null;
        var reload = app.reload();
        if (reload != null) {
            var c = reload.candidateOf(id);
            if (c != null && c.state().hasProcess() && c != serving) other = c.identity();
        }
        for (var o : app.outgoing()) if (o.id == id && o.state().hasProcess() && o != serving) other = o.identity();
        if (serving != null) app.ctx().persist(app.name(), serving, other);
    }
}
