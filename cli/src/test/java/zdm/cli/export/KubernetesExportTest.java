package zdm.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.config.AppSpec;
import zdm.config.EcosystemLoader;
import zdm.config.LoadResult;

/** The generated YAML parsed back: every mapped field of the Deployment and the Service. */
class KubernetesExportTest {
    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("server.js"), "// app\n");
    }

    private List<AppSpec> load(String yaml, String env) throws Exception {
        var file = Files.writeString(dir.resolve("eco.yaml"), yaml);
        return assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file, env)).apps();
    }

    private static List<JsonNode> parse(String yaml) throws Exception {
        var docs = new ArrayList<JsonNode>();
        try (var it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) docs.add((JsonNode) it.next());
        }
        return docs;
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        var env = new HashMap<String, JsonNode>();
        container.get("env").forEach(e -> env.put(e.get("name").asText(), e.get("value")));
        return env;
    }

    @Test
    void webAppWithHttpReadiness() throws Exception {
        var app = load("""
                apps:
                  - name: Web_API.v2
                    script: server.js
                    interpreter_args: --max-old-space-size=256
                    args: [--mode, "on"]
                    instances: 3
                    port: 8080
                    ready: {http: /healthz}
                    listen_timeout: 20s
                    kill_timeout: 2500ms
                    reload_parallel: 2
                    max_memory_restart: 300M
                    env: {NODE_ENV: dev, WORKERS: 4, FLAG: true}
                    env_production: {NODE_ENV: production}
                """, "production").getFirst();
        var docs = parse(KubernetesExport.yaml(KubernetesExport.objects(app, "registry.example/api:1.4")));
        assertEquals(2, docs.size());

        var d = docs.get(0);
        assertEquals("apps/v1", d.at("/apiVersion").asText());
        assertEquals("Deployment", d.at("/kind").asText());
        assertEquals("web-api-v2", d.at("/metadata/name").asText(), "a valid object name");
        assertEquals("web-api-v2", d.at("/metadata/labels/app.kubernetes.io~1name").asText());
        assertEquals(dir.resolve("eco.yaml").toString(), d.at("/metadata/annotations/zdm.dev~1source").asText());
        assertEquals(3, d.at("/spec/replicas").asInt());
        assertTrue(d.at("/spec/replicas").isInt());
        assertEquals("web-api-v2", d.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
        assertEquals("web-api-v2", d.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText());
        assertEquals("RollingUpdate", d.at("/spec/strategy/type").asText());
        assertEquals(0, d.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt());
        assertTrue(d.at("/spec/strategy/rollingUpdate/maxUnavailable").isInt());
        assertEquals(2, d.at("/spec/strategy/rollingUpdate/maxSurge").asInt());
        assertEquals(1, d.at("/spec/minReadySeconds").asInt(), "min_ready_time (default: min_uptime 1s)");
        var pod = d.at("/spec/template/spec");
        assertEquals(3, pod.get("terminationGracePeriodSeconds").asInt(), "2500 ms rounded up");
        assertEquals(1, pod.get("containers").size());
        var c = pod.get("containers").get(0);
        assertEquals("web-api-v2", c.get("name").asText());
        assertEquals("registry.example/api:1.4", c.get("image").asText());
        assertEquals(List.of("node"), texts(c.get("command")));
        assertEquals(List.of("--max-old-space-size=256", dir.resolve("server.js").toString(), "--mode", "on"), texts(c.get("args")));
        assertEquals(dir.toString(), c.get("workingDir").asText());
        var env = env(c);
        assertEquals(Map.of("NODE_ENV", "production", "WORKERS", "4", "FLAG", "true", "PORT", "8080", "ZDM_APP", "Web_API.v2"),
                Map.copyOf(env.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().asText()))));
        env.values().forEach(v -> assertTrue(v.isTextual(), "env values are strings in Kubernetes: " + v));
        assertEquals(8080, c.at("/ports/0/containerPort").asInt());
        assertEquals("http", c.at("/ports/0/name").asText());
        assertEquals("TCP", c.at("/ports/0/protocol").asText());
        assertEquals("/healthz", c.at("/readinessProbe/httpGet/path").asText());
        assertEquals(8080, c.at("/readinessProbe/httpGet/port").asInt());
        assertEquals(2, c.at("/readinessProbe/periodSeconds").asInt());
        assertEquals(10, c.at("/readinessProbe/failureThreshold").asInt(), "listen_timeout 20s / 2s");
        assertEquals(String.valueOf(300L << 20), c.at("/resources/limits/memory").asText());

        var s = docs.get(1);
        assertEquals("v1", s.at("/apiVersion").asText());
        assertEquals("Service", s.at("/kind").asText());
        assertEquals("web-api-v2", s.at("/metadata/name").asText());
        assertEquals("web-api-v2", s.at("/spec/selector/app.kubernetes.io~1name").asText());
        assertEquals(8080, s.at("/spec/ports/0/port").asInt());
        assertEquals(8080, s.at("/spec/ports/0/targetPort").asInt());
    }

    @Test
    void tcpReadinessAndAppsWithoutPort() throws Exception {
        var apps = load("""
                apps:
                  - name: db-proxy
                    command: [./server.js, --listen]
                    port: 5432
                    protocol: tcp
                  - name: jobs
                    command: python3 -m jobs
                    min_uptime: 4s
                  - name: slow
                    command: sleep 100
                    ready: {delay: 1500ms}
                """, null);
        var proxy = parse(KubernetesExport.yaml(KubernetesExport.objects(apps.get(0), "i")));
        var c = proxy.get(0).at("/spec/template/spec/containers/0");
        assertEquals(5432, c.at("/readinessProbe/tcpSocket/port").asInt());
        assertEquals(15, c.at("/readinessProbe/failureThreshold").asInt(), "default listen_timeout 30s / 2s");
        assertEquals(List.of(dir.resolve("server.js").toString()), texts(c.get("command")));
        assertEquals(List.of("--listen"), texts(c.get("args")));
        assertEquals("tcp", c.at("/ports/0/name").asText());
        assertEquals(5, proxy.get(0).at("/spec/template/spec/terminationGracePeriodSeconds").asInt(), "default 5s");

        var jobs = parse(KubernetesExport.yaml(KubernetesExport.objects(apps.get(1), "i")));
        assertEquals(1, jobs.size(), "no port, no Service");
        var jc = jobs.get(0).at("/spec/template/spec/containers/0");
        assertFalse(jc.has("readinessProbe"));
        assertFalse(jc.has("ports"));
        assertFalse(env(jc).containsKey("PORT"));
        assertEquals(List.of("-m", "jobs"), texts(jc.get("args")));
        assertEquals(8, jobs.get(0).at("/spec/minReadySeconds").asInt(), "ready: uptime → min_uptime + min_ready_time (= min_uptime)");
        assertEquals(1, jobs.get(0).at("/spec/replicas").asInt());

        var slow = parse(KubernetesExport.yaml(KubernetesExport.objects(apps.get(2), "i")));
        assertEquals(3, slow.get(0).at("/spec/minReadySeconds").asInt(), "ready: {delay: 1500ms} rounds up, + min_ready_time 1s");
    }

    @Test
    void livenessBecomesALivenessProbeOnTheReadinessPathOrSlash() throws Exception {
        var apps = load("""
                apps:
                  - name: web
                    script: server.js
                    port: 8080
                    ready: {http: /healthz}
                    listen_timeout: 20s
                    liveness_interval: 5s
                    liveness_timeout: 1500ms
                    liveness_failures: 4
                  - name: api
                    script: server.js
                    port: 8081
                    liveness_interval: 3s
                  - name: quiet
                    script: server.js
                    port: 8082
                """, null);
        var web = parse(KubernetesExport.yaml(KubernetesExport.objects(apps.get(0), "i"))).get(0).at("/spec/template/spec/containers/0");
        assertEquals("/healthz", web.at("/livenessProbe/httpGet/path").asText());
        assertEquals(8080, web.at("/livenessProbe/httpGet/port").asInt());
        assertEquals(5, web.at("/livenessProbe/periodSeconds").asInt());
        assertEquals(2, web.at("/livenessProbe/timeoutSeconds").asInt(), "1500 ms rounded up");
        assertEquals(4, web.at("/livenessProbe/failureThreshold").asInt());
        assertEquals(20, web.at("/livenessProbe/initialDelaySeconds").asInt(), "zdm probes only once ready: after listen_timeout");
        var api = parse(KubernetesExport.yaml(KubernetesExport.objects(apps.get(1), "i"))).get(0).at("/spec/template/spec/containers/0");
        assertEquals("/", api.at("/livenessProbe/httpGet/path").asText());
        assertEquals(3, api.at("/livenessProbe/failureThreshold").asInt(), "the default liveness_failures");
        assertEquals(2, api.at("/livenessProbe/timeoutSeconds").asInt(), "the default liveness_timeout");
        var quiet = parse(KubernetesExport.yaml(KubernetesExport.objects(apps.get(2), "i"))).get(0).at("/spec/template/spec/containers/0");
        assertFalse(quiet.has("livenessProbe"), "no liveness_interval, no probe");
    }

    @Test
    void objectNames() {
        assertEquals("web", KubernetesExport.objectName("web"));
        assertEquals("my-app-v1", KubernetesExport.objectName("My_App.v1"));
        assertEquals("a".repeat(63), KubernetesExport.objectName("a".repeat(64)));
        assertEquals("x", KubernetesExport.objectName("x-"));
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void commandsThatExpectAnInheritedSocketAreWarnedAbout() throws Exception {
        var dir = java.nio.file.Files.createTempDirectory("zdm-k8s-");
        var file = java.nio.file.Files.writeString(dir.resolve("eco.yaml"), """
                apps:
                  - {name: uv, command: uvicorn --fd 3 app:app, port: 8000, listen: socket}
                  - {name: gu, command: gunicorn --bind fd://3 app:app, port: 8001}
                  - {name: node, command: node server.js, port: 8002, listen: socket}
                  - {name: plain, command: uvicorn --port 8003 app:app, port: 8003}
                """);
        var apps = org.junit.jupiter.api.Assertions.assertInstanceOf(zdm.config.LoadResult.Loaded.class,
                zdm.config.EcosystemLoader.loadFile(file)).apps();
        var w = apps.stream().map(KubernetesExport::warnings).toList();
        org.junit.jupiter.api.Assertions.assertTrue(w.get(0).getFirst().startsWith("uv: its command takes the listening socket"
                + " as an inherited descriptor (--fd), which a pod does not get"), w.toString());
        org.junit.jupiter.api.Assertions.assertTrue(w.get(1).getFirst().contains("(--bind fd://3)") || w.get(1).getFirst().contains("(fd://3)"), w.toString());
        org.junit.jupiter.api.Assertions.assertTrue(w.get(2).getFirst().startsWith("node: listen: socket: in a pod nothing hands"), w.toString());
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), w.get(3));
    }
}
