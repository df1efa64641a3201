package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.proc.Posix;
import zdm.proc.Signal;
import zdm.test.Await;

/** The metrics: endpoint scraped over real HTTP while a real app serves requests through its port. */
@ExtendWith(ZdmHomes.class)
class MetricsIntegrationTest {
    ZdmHome z;
    int port;
    int metricsPort;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        port = FreePorts.reserve();
        metricsPort = FreePorts.reserve();
        z.testApp("http.js");
        z.ecosystem("""
                metrics: %d
                apps:
                  - name: web
                    script: http.js
                    instances: 2
                    port: %d
                    listen: proxy                 # the proxy counts the traffic (socket mode has no proxy)
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(metricsPort, port));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sample lines ("name{labels}" → value); comments left out. */
    private Map<String, Double> scrape() throws IOException, InterruptedException {
        var r = get("/metrics");
        assertEquals(200, r.statusCode(), r.body());
        var samples = new HashMap<String, Double>();
        for (var line : r.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    @Test
    void scrapeShowsWorkersTrafficReloadsAndRestarts() throws Exception {
        z.ok("start", "ecosystem.yaml");
        int bodyBytes = 0;
        for (int i = 0; i < 5; i++) {
            var reply = Http.get(port, "/");
            assertEquals(200, reply.status());
            bodyBytes += reply.body().length();
        }

        var r = get("/metrics");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        assertTrue(r.body().contains("# HELP zdm_worker_up ") && r.body().contains("# TYPE zdm_worker_up gauge\n"), r.body());
        assertTrue(r.body().contains("# TYPE zdm_app_proxy_bytes_total counter\n"), r.body());
        assertTrue(r.body().contains("# TYPE zdm_app_reload_duration_seconds summary\n"), r.body());

        var m = scrape();
        for (var w : new String[] {"0", "1"}) {
            String labels = "{app=\"web\",worker=\"" + w + "\"}";
            assertEquals(1.0, m.get("zdm_worker_up" + labels), m.toString());
            assertEquals(1.0, m.get("zdm_worker_state{app=\"web\",worker=\"" + w + "\",state=\"online\"}"));
            assertEquals(0.0, m.get("zdm_worker_state{app=\"web\",worker=\"" + w + "\",state=\"errored\"}"));
            assertEquals(0.0, m.get("zdm_worker_restarts_total" + labels));
            assertTrue(m.get("zdm_worker_cpu_seconds_total" + labels) > 0, "node used some CPU to start: " + m);
            assertTrue(m.get("zdm_worker_resident_memory_bytes" + labels) > 5e6, "a node process is > 5 MB: " + m);
        }
        assertEquals(2.0, m.get("zdm_app_workers_desired{app=\"web\"}"));
        assertEquals(2.0, m.get("zdm_app_workers_ready{app=\"web\"}"));
        assertEquals(5.0, m.get("zdm_app_connections_total{app=\"web\"}"), "one connection per request, nothing else");
        double in = m.get("zdm_app_proxy_bytes_total{app=\"web\",direction=\"in\"}");
        double out = m.get("zdm_app_proxy_bytes_total{app=\"web\",direction=\"out\"}");
        assertTrue(in >= 5 * "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".length(), "in " + in);
        assertTrue(out > bodyBytes && out < bodyBytes + 5 * 400, "out " + out + " = bodies " + bodyBytes + " + heads");
        assertEquals(0.0, m.get("zdm_app_reloads_total{app=\"web\",result=\"ok\"}"));

        assertTrue(z.request(new zdm.protocol.Request.Reload("web")) instanceof zdm.protocol.Response.Apps);
        m = scrape();
        assertEquals(1.0, m.get("zdm_app_reloads_total{app=\"web\",result=\"ok\"}"));
        assertEquals(1.0, m.get("zdm_app_reload_duration_seconds_count{app=\"web\"}"));
        assertTrue(m.get("zdm_app_reload_duration_seconds_sum{app=\"web\"}") > 0);

        long victim = z.pids("web").getFirst();
        Posix.kill(victim, Signal.SIGKILL);
        Await.until(ZdmHome.SHORT, () -> {
            try {
                var now = scrape();
                return now.get("zdm_worker_restarts_total{app=\"web\",worker=\"0\"}") == 1.0
                        && now.get("zdm_worker_up{app=\"web\",worker=\"0\"}") == 1.0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, "worker 0 restarted once and online again");

        assertEquals(404, get("/other").statusCode());
    }

    @Test
    void theEndpointComesBackWithTheDaemonAndOffStopsIt() throws Exception {
        z.ok("start", "ecosystem.yaml");
        assertEquals(200, get("/metrics").statusCode());
        z.ok("kill");
        assertThrows(ConnectException.class, () -> get("/metrics"));
        z.ok("ping"); // a new daemon: restores the apps and the endpoint
        Await.until(ZdmHome.SHORT, () -> {
            try {
                return scrape().getOrDefault("zdm_app_workers_ready{app=\"web\"}", 0.0) == 2.0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, "the restarted daemon serves metrics for its restored app");

        Files.writeString(z.dir.resolve("ecosystem.yaml"),
                Files.readString(z.dir.resolve("ecosystem.yaml")).replace("metrics: " + metricsPort, "metrics: off"));
        z.ok("start", "ecosystem.yaml");
        assertThrows(ConnectException.class, () -> get("/metrics"));
    }
}
