package zdm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.protocol.WorkerView;

/** The exposition format: HELP and TYPE once per family before its samples, escaping, number forms. */
class MetricsRendererTest {

    @Test
    void labelValuesAndHelpAreEscaped() {
        assertEquals("a\\\\b\\\"c\\nd", PromText.escapeLabel("a\\b\"c\nd"));
        assertEquals("x\\\\y\\nz \"q\"", PromText.escapeHelp("x\\y\nz \"q\""));
        var p = new PromText();
        p.family("zdm_x_total", "counter", "Help.");
        p.sample("zdm_x_total", 3, "app", "we\"b", "worker", "0");
        assertEquals("# HELP zdm_x_total Help.\n# TYPE zdm_x_total counter\nzdm_x_total{app=\"we\\\"b\",worker=\"0\"} 3\n", p.text());
    }

    @Test
    void numbers() {
        assertEquals("0", PromText.number(0));
        assertEquals("12345678901", PromText.number(12_345_678_901L));
        assertEquals("0.25", PromText.number(0.25));
        assertEquals("NaN", PromText.number(Double.NaN));
        assertEquals("+Inf", PromText.number(Double.POSITIVE_INFINITY));
    }

    @Test
    void everyFamilyIsDeclaredOnceAndItsSamplesFollowIt() {
        var counters = new AppCounters();
        counters.restarted(1);
        counters.restarted(1);
        counters.reloaded(true, 1500);
        counters.reloaded(false, 500);
        counters.readinessFailed();
        var app = new AppSample("web", 2, 1, List.of(
                new AppSample.WorkerSample(0, WorkerView.State.ONLINE, 10, 0, 1.5, 1_000_000),
                new AppSample.WorkerSample(1, WorkerView.State.WAITING_RESTART, 0, 2, -1, -1)), counters);
        String text = MetricsRenderer.render(List.of(app, new AppSample("idle", 0, 0, List.of(), new AppCounters())));

        var families = new ArrayList<String>();
        String current = null;
        for (var line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                current = line.split(" ")[2];
                assertTrue(!families.contains(current), "declared twice: " + current);
                families.add(current);
            } else if (!line.startsWith("#")) {
                assertTrue(line.startsWith(current), line + " belongs to " + current);
                assertTrue(current.startsWith("zdm_"), current);
            }
        }
        assertEquals(List.of("zdm_worker_up", "zdm_worker_state", "zdm_worker_restarts_total", "zdm_worker_cpu_seconds_total",
                "zdm_worker_resident_memory_bytes", "zdm_app_workers_desired", "zdm_app_workers_ready",
                "zdm_app_connections_total", "zdm_app_proxy_bytes_total", "zdm_app_reloads_total",
                "zdm_app_reload_duration_seconds", "zdm_app_readiness_failures_total"), families);

        assertTrue(text.contains("\nzdm_worker_up{app=\"web\",worker=\"1\"} 0\n"));
        assertTrue(text.contains("\nzdm_worker_state{app=\"web\",worker=\"1\",state=\"waiting-restart\"} 1\n"));
        assertTrue(text.contains("\nzdm_worker_restarts_total{app=\"web\",worker=\"1\"} 2\n"));
        assertTrue(text.contains("\nzdm_worker_cpu_seconds_total{app=\"web\",worker=\"0\"} 1.5\n"));
        assertTrue(!text.contains("zdm_worker_cpu_seconds_total{app=\"web\",worker=\"1\"}"), "no process, no sample");
        assertTrue(text.contains("\nzdm_app_reloads_total{app=\"web\",result=\"failed\"} 1\n"));
        assertTrue(text.contains("\nzdm_app_reload_duration_seconds_sum{app=\"web\"} 2\n"));
        assertTrue(text.contains("\nzdm_app_reload_duration_seconds_count{app=\"web\"} 2\n"));
        assertTrue(text.contains("\nzdm_app_readiness_failures_total{app=\"web\"} 1\n"));
        assertTrue(text.contains("\nzdm_app_workers_desired{app=\"idle\"} 0\n"));
        assertEquals(7 * 2, text.lines().filter(l -> l.startsWith("zdm_worker_state{app=\"web\"")).count(), "one series per state");
    }
}
