package zdm.store;

import zdm.config.NetworkSpec;
import zdm.config.LogSpec;
import zdm.net.ProxyProtocol;
import zdm.proc.Signal;
import zdm.config.Liveness;
import zdm.config.Listen;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpec;
import zdm.config.LogFiles;
import zdm.config.Readiness;

/** The store's own format for specs: what earlier zdm wrote must read the same, and be written the same. */
class SpecJsonTest {
    static AppSpec full() {
        return AppSpec.builder("web", List.of("/usr/bin/node", "server.js")).cwd("/srv/web").env(Map.of("A", "1"))
                .instances(3).port(8080).killTimeoutMs(7000).stopSignal(Signal.SIGINT).autorestart(false).maxRestarts(9)
                .minUptimeMs(2000).restartDelayMs(200).restartDelayMaxMs(9000).maxMemoryBytes(1 << 20)
                .source("/srv/eco.yaml").ready(new Readiness.Http("/health")).listenTimeoutMs(12000).reloadParallel(2)
                .protocol(ProxyProtocol.HTTP).logMaxBytes(4096L).logMaxFiles(2).listen(Listen.SOCKET).livenessIntervalMs(5000)
                .livenessTimeoutMs(1500).livenessFailures(4).liveness(Liveness.WATCHDOG).socketFd(0).headTimeoutMs(1000)
                .keepaliveTimeoutMs(2000).maxHeadBytes(8192).maxConnections(100).autostart(false)
                .stopExitCodes(List.of(0, 3)).cronRestart("0 3 * * *").watch(List.of("/srv/web/src"))
                .ignoreWatch(List.of("node_modules")).watchDelayMs(500).minReadyMs(3000L)
                .logFiles(new LogFiles("/srv/out.log", null, "", false, "YYYY")).shutdownWithMessage(true)
                .bodyTimeoutMs(4000).maxConnectionsPerAddress(10).build();
    }

    /** A row as zdm wrote it before AppSpec was grouped into parts: every value at the top level, by name. */
    static final String STORED = """
            {"name":"web","command":["/usr/bin/node","server.js"],"cwd":"/srv/web","env":{"A":"1"},"instances":3,"port":8080,"killTimeoutMs":7000,"stopSignal":"SIGINT","autorestart":false,"maxRestarts":9,"minUptimeMs":2000,"restartDelayMs":200,"restartDelayMaxMs":9000,"maxMemoryBytes":1048576,"source":"/srv/eco.yaml","ready":{"kind":"http","path":"/health"},"listenTimeoutMs":12000,"reloadParallel":2,"protocol":"http","logMaxBytes":4096,"logMaxFiles":2,"listen":"socket","livenessIntervalMs":5000,"livenessTimeoutMs":1500,"livenessFailures":4,"liveness":"watchdog","socketFd":0,"headTimeoutMs":1000,"keepaliveTimeoutMs":2000,"maxHeadBytes":8192,"maxConnections":100,"autostart":false,"stopExitCodes":[0,3],"cronRestart":"0 3 * * *","watch":["/srv/web/src"],"ignoreWatch":["node_modules"],"watchDelayMs":500,"minReadyMs":3000,"logFiles":{"out":"/srv/out.log","err":null,"combined":"","merge":false,"dateFormat":"YYYY"},"shutdownWithMessage":true,"bodyTimeoutMs":4000,"maxConnectionsPerAddress":10}""";

    @Test
    void aRowWrittenByEarlierZdmReadsAsTheSameSpec() throws Exception {
        assertEquals(full(), SpecJson.read(STORED));
    }

    /** Every value earlier zdm wrote is written under the same name, the same way (keys added since may follow). */
    @Test
    void aSpecIsWrittenInTheFormatEarlierZdmReads() throws Exception {
        var json = new ObjectMapper();
        assertSubset("", json.readTree(STORED), json.readTree(SpecJson.write(full())));
    }

    private static void assertSubset(String at, JsonNode earlier, JsonNode now) {
        if (!earlier.isObject()) {
            assertEquals(earlier, now, at);
            return;
        }
        earlier.properties().forEach(e -> assertSubset(at + "/" + e.getKey(), e.getValue(), now.path(e.getKey())));
    }

    @Test
    void valuesMissingFromAnOlderRowTakeTheirDefaults() throws Exception {
        var spec = SpecJson.read("""
                {"name":"web","command":["/bin/true"],"cwd":"/","env":{},"instances":1,"port":8080}""");
        assertEquals(LogSpec.DEFAULT_LOG_MAX_BYTES, spec.logs().logMaxBytes());
        assertEquals(new Readiness.Tcp(), spec.health().ready());
        assertEquals(NetworkSpec.DEFAULT_MAX_CONNECTIONS, spec.network().maxConnections());
        assertEquals(true, spec.autostart());
        assertEquals(false, spec.network().socketMode());
    }

    /** The flat format gathers a value back into its part by name: no two parts, and not the spec, may share one. */
    @Test
    void everyValueHasANameOfItsOwn() {
        var names = new java.util.ArrayList<String>();
        for (var c : AppSpec.class.getRecordComponents()) {
            if (c.getType().isRecord()) {
                for (var v : c.getType().getRecordComponents()) names.add(v.getName());
            } else {
                names.add(c.getName());
            }
        }
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), names.toString());
        assertEquals(6, SpecJson.PARTS.size(), SpecJson.PARTS.toString());
    }

    /** The specs of every readiness kind, and one with every optional value left out. */
    static List<AppSpec> variety() {
        var specs = new java.util.ArrayList<AppSpec>();
        specs.add(full());
        specs.add(AppSpec.builder("bare", List.of("/bin/true")).build());
        for (var ready : List.of(new Readiness.Tcp(), new Readiness.Http("/h\"\u00e9"), new Readiness.Log("up .*"),
                new Readiness.Delay(250), new Readiness.Uptime(), new Readiness.Notify(), new Readiness.Message(),
                new Readiness.Listening())) {
            specs.add(full().toBuilder().ready(ready).liveness(Liveness.values()[specs.size() % Liveness.values().length])
                    .stopSignal(Signal.values()[specs.size() % Signal.values().length])
                    .protocol(ProxyProtocol.values()[specs.size() % ProxyProtocol.values().length]).build());
        }
        return specs;
    }

    /** Data binding as the store used it before its own codec: the spec's tree, each part's values moved to the top. */
    private static String dataBinding(AppSpec spec) throws Exception {
        var json = new ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(spec);
        for (var part : SpecJson.PARTS) {
            var values = (com.fasterxml.jackson.databind.node.ObjectNode) tree.remove(part.getName());
            values.properties().forEach(e -> tree.set(e.getKey(), e.getValue()));
        }
        return json.writeValueAsString(tree);
    }

    @Test
    void aSpecIsWrittenInTheBytesDataBindingWrote() throws Exception {
        for (AppSpec spec : variety()) assertEquals(dataBinding(spec), SpecJson.write(spec));
    }

    @Test
    void whatDataBindingWroteReadsBackTheSame() throws Exception {
        for (AppSpec spec : variety()) assertEquals(spec, SpecJson.read(dataBinding(spec)));
    }

    @Test
    void anUnreadableRowNamesWhatIsWrong() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                () -> SpecJson.read(STORED.replace("\"kind\":\"http\"", "\"kind\":\"smoke\"")));
        org.junit.jupiter.api.Assertions.assertTrue(e.getOriginalMessage().contains("unknown kind \"smoke\""), e.getOriginalMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                () -> SpecJson.read("[1]"));
        assertEquals("not a JSON object", e.getOriginalMessage());
    }
}
