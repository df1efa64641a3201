package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.proc.ExitStatus;

class WorkerStateTest {
    static final WorkerState STARTING = new WorkerState.Starting(1, 0);
    static final WorkerState ONLINE = new WorkerState.Online(1, 0);
    static final WorkerState DRAINING = new WorkerState.Draining(1, 0);
    static final WorkerState STOPPING = new WorkerState.Stopping(1, 0);
    static final WorkerState WAITING = new WorkerState.WaitingRestart(0, new ExitStatus(1, null));
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
                + "errored->starting errored->waiting-restart errored->stopped "
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
}
