package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;
import zdm.test.Await;

/**
 * A stopped app's port on its next start: a stop lets the port go, and `zdm start`, `zdm restart` or the same file
 * started again bind it anew and hand it to the app, so requests reach its new workers (through the real port, to
 * fake workers that really listen: {@link ProxiedWorkers}); a port another program took meanwhile fails the request,
 * and nothing starts.
 */
class StartPortsTest extends RequestTest {
    private final ProxiedWorkers workers = new ProxiedWorkers(() -> f);

    @AfterEach
    void closePorts() {
        workers.close();
    }

    /** Starts web with one worker that answers "first", stops it, and waits until its port is free. */
    private zdm.config.AppSpec startedThenStopped() throws IOException {
        workers.listening("first");
        var spec = workers.web(1).build();
        f.start(spec);
        f.host.advance(1_000);
        assertEquals(Set.of("first"), workers.answerers(2));
        askNow(s -> s.stop("web", UID, progress::add));
        Await.until(java.time.Duration.ofSeconds(10), () -> portIsFree(workers.port), "the stopped app's port let go");
        return spec;
    }

    private void servesAgain(Function<zdm.supervisor.Supervisor, Response> start) throws IOException {
        startedThenStopped();
        workers.listening("again");
        ask(start);
        assertEquals(List.of("online"), f.states("web"));
        assertEquals(Set.of("again"), workers.answerers(2), "the port is the app's again: " + f.events("web"));
    }

    @Test
    void aStartOfAStoppedAppServesOnItsPortAgain() throws IOException {
        servesAgain(s -> s.startApps("web", UID, progress::add));
    }

    @Test
    void aRestartOfAStoppedAppServesOnItsPortAgain() throws IOException {
        servesAgain(s -> s.restart("web", UID, progress::add));
    }

    @Test
    void theSameFileStartedAgainServesAStoppedAppOnItsPortAgain() throws IOException {
        var spec = startedThenStopped();
        workers.listening("again");
        f.start(spec);
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("web"));
        assertEquals(Set.of("again"), workers.answerers(2), "the port is the app's again: " + f.events("web"));
    }

    private void failsOnATakenPort(Function<zdm.supervisor.Supervisor, Response> start) throws IOException {
        startedThenStopped();
        int spawned = f.host.procs.size();
        try (var other = new ServerSocket(workers.port)) {
            var answer = failed(askNow(start), ErrorKind.FAILED);
            assertTrue(answer.message().contains("port " + workers.port), answer.message());
        }
        assertEquals(spawned, f.host.procs.size(), "nothing started");
        assertEquals(List.of("stopped"), f.states("web"));
    }

    @Test
    void aStartWhosePortAnotherProgramTookFailsAndStartsNothing() throws IOException {
        failsOnATakenPort(s -> s.startApps("web", UID, progress::add));
    }

    @Test
    void aRestartWhosePortAnotherProgramTookFailsAndStartsNothing() throws IOException {
        failsOnATakenPort(s -> s.restart("web", UID, progress::add));
    }
}
