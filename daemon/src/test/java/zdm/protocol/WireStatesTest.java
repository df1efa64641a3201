package zdm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Worker and app states are enums in the code but travel by the names zdm has always written
 * ("waiting-restart"), so the JSON stays readable and an older client, a dashboard page or a bench
 * script that reads them as text keeps working.
 */
class WireStatesTest {
    /** An {@code ls} answer as a daemon wrote it before the states were enums. */
    private static final String OLDER_DAEMONS_APPS = """
            {"type":"apps","apps":[{"name":"web","status":"degraded","desired":"running","instances":2,"port":8080,
             "workers":[{"id":0,"state":"online","pid":12,"restarts":0,"uptimeMs":5,"cpuPercent":0.5,"memoryBytes":1024,"lastExit":null,"status":null},
                        {"id":1,"state":"waiting-restart","pid":0,"restarts":3,"uptimeMs":0,"cpuPercent":-1,"memoryBytes":-1,"lastExit":"code 1","status":null}]},
             {"name":"job","status":"stopped","desired":"stopped","instances":1,"port":null,"workers":[]}],"message":null}
            """;

    @Test
    void anOlderDaemonsAnswerReadsAsEnums() throws ProtocolException {
        var apps = ((Response.Apps) Wire.decodeResponse(OLDER_DAEMONS_APPS.getBytes(StandardCharsets.UTF_8))).apps();
        assertEquals(AppView.Status.DEGRADED, apps.get(0).status());
        assertEquals(AppView.Desired.RUNNING, apps.get(0).desired());
        assertEquals(List.of(WorkerView.State.ONLINE, WorkerView.State.WAITING_RESTART),
                apps.get(0).workers().stream().map(WorkerView::state).toList());
        assertEquals(1, apps.get(0).onlineCount());
        assertEquals(AppView.Status.STOPPED, apps.get(1).status());
        assertEquals(AppView.Desired.STOPPED, apps.get(1).desired());
    }

    @Test
    void everyStateIsWrittenByItsLowerCaseNameAndReadBack() throws ProtocolException {
        var workers = new ArrayList<WorkerView>();
        for (var s : WorkerView.State.values()) workers.add(new WorkerView(workers.size(), s, 0, 0, 0, -1, -1, null));
        var apps = new ArrayList<AppView>();
        for (var s : AppView.Status.values()) {
            for (var d : AppView.Desired.values()) apps.add(new AppView("a" + apps.size(), s, d, 1, null, workers));
        }
        var sent = new Response.Apps(apps, null);
        String json = Wire.text(Wire.encode(sent));
        for (String name : List.of("\"state\":\"waiting-restart\"", "\"state\":\"online\"", "\"state\":\"draining\"",
                "\"status\":\"reloading\"", "\"status\":\"errored\"", "\"desired\":\"running\"", "\"desired\":\"stopped\"")) {
            assertTrue(json.contains(name), name);
        }
        assertEquals(sent, Wire.decodeResponse(Wire.encode(sent)));
    }

    @Test
    void wireNamesAreLowerCaseWithHyphensAndParseBack() {
        Stream.of(WorkerView.State.values(), AppView.Status.values(), AppView.Desired.values()).flatMap(Stream::of)
                .forEach(e -> {
                    String name = ((Enum<?>) e).name();
                    assertEquals(name.toLowerCase(java.util.Locale.ROOT).replace('_', '-'), e.toString());
                });
        for (var s : WorkerView.State.values()) assertEquals(s, WireName.parse(WorkerView.State.class, s.wireName()));
        for (var s : AppView.Status.values()) assertEquals(s, WireName.parse(AppView.Status.class, s.wireName()));
        assertEquals("waiting-restart", WorkerView.State.WAITING_RESTART.wireName());
        assertNull(WireName.parse(WorkerView.State.class, "WAITING_RESTART"));
        assertNull(WireName.parse(AppView.Status.class, "paused"));
    }

    @Test
    void aStateThisClientDoesNotKnowIsAMalformedAnswer() {
        String unknown = OLDER_DAEMONS_APPS.replace("\"degraded\"", "\"paused\"");
        var e = assertThrows(ProtocolException.class, () -> Wire.decodeResponse(unknown.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("malformed response from the daemon"), e.getMessage());
    }
}
