package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.net.FreePorts;
import zdm.protocol.AppView;
import zdm.test.Await;

/**
 * The dashboard in a real browser (headless Chromium over the DevTools protocol): the sample's two
 * apps appear, a destructive button asks first, and a Reload clicked while HTTP load runs against
 * the app shows its steps as they happen and drops no request. The page is kept as screenshots,
 * desktop and phone width, under cli/target/dashboard/.
 */
class DashboardBrowserIntegrationTest {
    static final Duration LONG = Duration.ofSeconds(90);
    static final Path SAMPLE = findRoot().resolve("config-samples/apps");
    static final Path ARTIFACTS = Path.of("target", "dashboard");
    ZdmHome z;
    int port;
    int dashboardPort;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Chromium.BINARY),
                "Debian's chromium is not installed (bin/test installs it when run as root)");
        z = new ZdmHome();
        port = FreePorts.reserve();
        do dashboardPort = FreePorts.reserve(); while (dashboardPort == port); // bind(0) may hand out the same port again
        for (var name : List.of("web.js", "ticker.py")) z.file("apps/" + name, Files.readString(SAMPLE.resolve(name)));
        z.ecosystem("""
                dashboard:
                  listen: %d
                apps:
                  - name: web
                    script: apps/web.js
                    instances: 2
                    port: %d
                    kill_timeout: 5s
                    env: { ZDM_TEST_TAG: ${TAG} }
                  - name: ticker
                    script: apps/ticker.py
                    env: { TICK_SECONDS: 1, ZDM_TEST_TAG: ${TAG} }
                """.formatted(dashboardPort, port));
        z.ok("start", "ecosystem.yaml");
    }

    @AfterEach
    void tearDown() {
        if (z != null) z.close();
    }

    @Test
    void aReloadClickedUnderLoadShowsItsStepsAndDropsNothing() throws Exception {
        String link = z.ok("dashboard").out().strip();
        Files.createDirectories(ARTIFACTS);
        try (var browser = Chromium.start(z.dir, 1280, 1000); var page = browser.page()) {
            page.navigate(link);
            Await.until(LONG, () -> page.text("[...document.querySelectorAll('article.card')].map(c => c.dataset.app).join()"
                    + " + ' ' + document.getElementById('live').textContent + ' '"
                    + " + document.querySelectorAll('[data-app=web] tbody tr').length").equals("web,ticker live 2"),
                    () -> "both apps, live, with web's 2 workers: " + page.text("document.body.innerText"));
            Await.until(LONG, () -> page.text("document.getElementById('log').textContent").contains("listening on"),
                    "web's log in the log panel");

            // a destructive button asks first, and Cancel does nothing
            page.click("[data-app=ticker] [data-action=stop]");
            Await.until(LONG, () -> !page.eval("document.getElementById('confirm').hidden").asBoolean(),
                    () -> "the confirmation; the page: " + page.text("document.body.innerText"));
            assertTrue(page.eval("document.getElementById('confirm-text').textContent").asText().startsWith("Stop ticker?"));
            page.click("#confirm-no");
            Await.until(LONG, () -> page.eval("document.getElementById('confirm').hidden").asBoolean(), "the confirmation to close");
            assertEquals(AppView.Desired.RUNNING, z.app("ticker").desired());

            List<String> seen = new ArrayList<>();
            Load load = Load.start(port, 4, true);
            try {
                Await.until(LONG, () -> load.ok() >= 20, "load flowing through web's port");
                // the page reads the action's answer late, as on a busy machine, so the stream brings the
                // reload's first steps before the page knows their operation: none may be lost (CI lost one)
                page.eval("(() => { const f = window.fetch; window.fetch = (u, o) => f(u, o).then(r =>"
                        + " String(u).includes('/api/action') ? new Promise(ok => setTimeout(() => ok(r), 400)) : r); return true; })()");
                page.click("[data-app=web] [data-action=reload]");
                Await.until(LONG, () -> {
                    seen.add(page.eval("[...document.querySelectorAll('[data-app=web] .steps li')]"
                            + ".map(l => l.className + '|' + [...l.childNodes].slice(1).map(n => n.textContent).join('')).join('\\n')").asText());
                    return seen.getLast().contains("op-done");
                }, () -> "the reload's outcome on the page; steps so far:\n" + seen.getLast());
                Files.write(ARTIFACTS.resolve("dashboard-desktop.png"), page.screenshot());
                Await.until(LONG, () -> load.ok() >= 40, "more load after the reload");
            } finally {
                load.close();
            }
            String steps = seen.getLast();
            var distinct = new LinkedHashSet<>(seen);
            System.out.println("dashboard steps, seen in " + distinct.size() + " successive states:\n" + steps);
            System.out.println("load during the reload: " + load);
            assertTrue(steps.contains("op-done ok|reloaded web: 2 worker(s) replaced"), steps);
            for (int w = 0; w < 2; w++) {
                for (var step : List.of("worker " + w + ": new process starting", "worker " + w + ": ready",
                        "worker " + w + ": serving in place of the old one", "worker " + w + ": old process gone")) {
                    assertTrue(steps.contains(step), "step '" + step + "' in:\n" + steps);
                }
            }
            assertTrue(distinct.size() >= 4, "the steps appeared one after another, not all at the end: " + distinct);
            assertEquals(0, load.failed(), () -> "failed requests during the reload: " + load.failures());

            page.viewport(390, 1500, false);
            Await.until(LONG, () -> page.text("innerWidth + ' ' + matchMedia('(max-width: 760px)').matches").equals("390 true"),
                    () -> "the phone-sized viewport: " + page.text("innerWidth"));
            Files.write(ARTIFACTS.resolve("dashboard-phone.png"), page.screenshot());
            assertEquals("", page.text("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391"
                    + " && !e.closest('.table')).map(e => e.tagName + '.' + e.className).join(' ')"),
                    "nothing wider than the phone but the scrolling worker tables");
            assertTrue(page.eval("document.documentElement.scrollWidth").asInt() <= 390, "the page does not scroll sideways");
        }
    }

    private static Path findRoot() {
        for (var p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("config-samples/apps"))) return p;
        }
        throw new AssertionError("config-samples/apps not found above " + Path.of("").toAbsolutePath());
    }
}
