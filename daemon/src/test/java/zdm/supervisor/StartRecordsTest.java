package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.Readiness;
import zdm.store.WorkerRecord;
import zdm.test.Await;

/**
 * What a worker's start leaves behind ({@link WorkerStarts}): its record in the store from the spawn on, the app log's
 * notes of a start that failed or was not ready, the metrics' count of readiness failures, and no request file left
 * over by a port-learning worker that exited.
 */
class StartRecordsTest extends FixtureTest {
    private WorkerRecord recorded(String app, String state) {
        return Await.value(Duration.ofSeconds(10), () -> f.store.workers().stream().filter(w -> w.app().equals(app) && w.id() == 0)
                .findFirst().orElse(null), w -> w != null && w.state().equals(state), app + "'s record saying " + state);
    }

    private String appLog(String app) throws IOException {
        return Files.readString(home.resolve("logs").resolve(app + ".out.log"));
    }

    @Test
    void aSpawnedWorkerIsRecordedStartingWithItsPidThenOnline() {
        f.start(SupervisorFixture.spec("web").build());
        var p = f.host.newest("web", 0);
        assertEquals(p.pid, recorded("web", "starting").pid(), "a daemon killed now must find it");
        f.host.advance(1_000);
        assertEquals(p.pid, recorded("web", "online").pid());
    }

    @Test
    void aSpawnThatFailsIsNotedInTheAppLog() throws Exception {
        f.host.spawnFailures.put("web", "cannot run 'nope': not found on PATH (apps[web].command)");
        f.start(SupervisorFixture.spec("web").build());
        assertTrue(appLog("web").contains("web[zdm] worker 0 could not be started: cannot run 'nope': not found on PATH (apps[web].command)"),
                appLog("web"));
    }

    @Test
    void aWorkerThatIsNotReadyIsNotedInTheAppLogAndCountedForTheMetrics() throws Exception {
        f.start(SupervisorFixture.spec("api").ready(new Readiness.Log("listening")).listenTimeoutMs(2_000).build());
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(2_000);
        assertTrue(appLog("api").contains("api[zdm] worker 0 printed no line matching /listening/ within listen_timeout 2000 ms; stopping it"),
                appLog("api"));
        var metrics = f.sup.metrics();
        assertEquals(List.of(1L, 0L), metrics.stream().sorted(java.util.Comparator.comparing(zdm.metrics.AppSample::name))
                .map(a -> a.counters().readinessFailures()).toList(), "api's one failure, none of web's");
    }

    @Test
    void aPortLearningWorkersRequestFileIsRemovedOnceItExits() throws Exception {
        f.start(SupervisorFixture.spec("api").listen(zdm.config.Listen.SOCKET).ready(new Readiness.Uptime()).build());
        var p = f.host.newest("api", 0);
        Files.writeString(p.listenFile, "3000"); // written after the daemon's last look, then the worker dies
        p.exits(1);
        Await.until(Duration.ofSeconds(10), () -> !Files.exists(p.listenFile), () -> p.listenFile + " left behind");
    }
}
