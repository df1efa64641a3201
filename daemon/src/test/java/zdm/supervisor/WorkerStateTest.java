package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.proc.ExitStatus;
import zdm.protocol.WorkerView;

class WorkerStateTest {
    static final WorkerState STARTING = new WorkerState.Starting(1, 0);
    static final WorkerState ONLINE = new WorkerState.Online(1, 0);
    static final WorkerState DRAINING = new WorkerState.Draining(1, 0);
    static final WorkerState STOPPING = new WorkerState.Stopping(1, 0);
    static final WorkerState WAITING = new WorkerState.WaitingRestart(new ExitStatus(1, null));
    static final WorkerState ERRORED = new WorkerState.Errored("x");
    static final WorkerState STOPPED = new WorkerState.Stopped();
    static final List<WorkerState> ALL = List.of(STARTING, ONLINE, DRAINING, STOPPING, WAITING, ERRORED, STOPPED);

    @Test
    void theTransitionTableIsExactlyThePicture() {
        var allowed = new StringBuilder();
        for (var from : ALL) for (var to : ALL) if (from.canMoveTo(to)) allowed.append(from.label()).append("->").append(to.label()).append(' ');
        assertEquals("starting->online starting->stopping starting->waiting-restart starting->errored starting->stopped "
                + "online->draining online->stopping online->waiting-restart online->errored online->stopped "
                + "draining->stopping draining->stopped "
                + "stopping->stopped "
                + "waiting-restart->starting waiting-restart->waiting-restart waiting-restart->errored waiting-restart->stopped "
                + "errored->starting errored->waiting-restart errored->errored errored->stopped "
                + "stopped->starting stopped->waiting-restart stopped->errored ", allowed.toString()); // the last moves: failed spawns
    }

    @Test
    void anIllegalMoveFailsLoudly() {
        var w = new Worker(0);
        var e = assertThrows(IllegalStateException.class, () -> w.moveTo(ONLINE));
        assertTrue(e.getMessage().contains("stopped -> online"), e.getMessage());
    }

    @Test
    void onlyStatesWithAProcessHaveAPid() {
        for (var s : ALL) assertEquals(s == STARTING || s == ONLINE || s == DRAINING || s == STOPPING, s.hasProcess(), s.label());
    }

    /**
     * The protocol names no supervisor class, so the daemon maps each state to the wire's ({@link Views#wireState}):
     * every state has one, by the same name the store keeps ({@link WorkerState#label}), and every wire state is used.
     */
    @Test
    void eachStateMapsToTheWireStateOfItsName() {
        assertEquals(WorkerState.class.getPermittedSubclasses().length,
                ALL.stream().map(Object::getClass).distinct().count(), "ALL lists every kind of state");
        var used = EnumSet.noneOf(WorkerView.State.class);
        for (var s : ALL) {
            var wire = Views.wireState(s);
            assertEquals(s.label(), wire.wireName());
            used.add(wire);
        }
        assertEquals(EnumSet.allOf(WorkerView.State.class), used);
    }
}
