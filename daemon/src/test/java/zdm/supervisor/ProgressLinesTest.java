package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lines a client sees stream by while its request runs ({@code zdm reload web} prints them): the events of the
 * apps it named, worker events as {@code web[0] kind: detail} and app events as {@code web kind: detail}, and none of
 * another app's, even one whose name begins with the same letters.
 */
class ProgressLinesTest extends RequestTest {

    @Test
    void aClientSeesItsAppsEventsAsTheyHappenAndNoOtherAppsEvents() {
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("web-admin").restartDelayMs(500).build());
        f.start(SupervisorFixture.spec("webx").restartDelayMs(500).build());
        f.host.advance(1_000);
        long pid = f.host.newest("web", 0).pid;
        f.host.newest("web-admin", 0).exits(1); // both restart while the reload of web runs
        f.host.newest("webx", 0).exits(1);
        ask(s -> s.reload("web", UID, progress::add));
        assertTrue(f.hasEvent("web-admin", "restarted"), f.events("web-admin").toString());
        assertTrue(f.hasEvent("webx", "restarted"), f.events("webx").toString());
        assertTrue(progress.stream().allMatch(l -> l.startsWith("web ") || l.startsWith("web[0] ")), progress.toString());
        assertEquals("web reload-begin: 1 worker(s), 1 at a time, each stable for 1000 ms before its old worker is retired",
                progress.getFirst());
        assertTrue(progress.contains("web[0] stopped: old pid " + pid + " signal SIGTERM"), progress.toString());
        assertEquals("web reload-end: 1 of 1 worker(s) replaced in 2000 ms", progress.getLast());
    }

    @Test
    void aRequestOnSeveralAppsForwardsTheEventsOfEach() {
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("api").build());
        f.start(SupervisorFixture.spec("jobs").build());
        f.host.advance(1_000);
        f.onLoop(() -> f.sup.registry().apps().get("jobs").stop(false));
        askNow(s -> s.stop("all", UID, progress::add));
        assertEquals(List.of("web[0] stopped", "api[0] stopped"),
                progress.stream().map(l -> l.substring(0, l.indexOf(':'))).toList(), progress.toString());
    }

    @Test
    void theStreamEndsWithTheRequest() {
        f.start(SupervisorFixture.spec("web").restartDelayMs(500).build());
        f.host.advance(1_000);
        askNow(s -> s.stop("web", UID, progress::add));
        int seen = progress.size();
        ask(s -> s.startApps("web", UID, line -> { }));
        assertEquals(seen, progress.size(), "the stop's client no longer gets lines: " + progress);
    }
}
