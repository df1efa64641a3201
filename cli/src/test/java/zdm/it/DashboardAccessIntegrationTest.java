package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import zdm.net.FreePorts;
import zdm.protocol.AppView;
import zdm.test.Await;

/**
 * Who may use the dashboard, over real HTTP against a real daemon: the link's token once, then the
 * cookie; actions only as POSTs with the page's CSRF header; only on a loopback address. One daemon
 * for the class (a test that changes something puts it back).
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class DashboardAccessIntegrationTest {
    static final Duration SHORT = ZdmHome.SHORT;
    ZdmHome z;
    int port;
    int dashboardPort;
    String link;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // follows no redirect

    @org.junit.jupiter.api.BeforeAll
    void setUp() throws Exception {
        z = new ZdmHome();
        port = FreePorts.reserve();
        do dashboardPort = FreePorts.reserve(); while (dashboardPort == port); // bind(0) may hand out the same port again
        z.testApp("http.js");
        ecosystem("dashboard: { listen: " + dashboardPort + " }");
        z.ok("start", "ecosystem.yaml");
        link = z.ok("dashboard").out().strip();
    }

    @org.junit.jupiter.api.AfterAll
    void tearDown() {
        z.close();
    }

    private void ecosystem(String dashboard) throws IOException {
        z.ecosystem(dashboard + """

                apps:
                  - name: web
                    script: http.js
                    port: %d
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(port));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboardPort + path));
    }

    /** The link's answer: the cookie (name=value) the browser is to keep. */
    private String login() throws Exception {
        var r = send(HttpRequest.newBuilder(URI.create(link)));
        assertEquals(303, r.statusCode(), r.body());
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private String csrf(String cookie) throws Exception {
        var state = send(at("/api/state").header("Cookie", cookie));
        assertEquals(200, state.statusCode(), state.body());
        var m = Pattern.compile("\"csrf\":\"([0-9a-f]+)\"").matcher(state.body());
        assertTrue(m.find(), state.body());
        return m.group(1);
    }

    private HttpRequest.Builder stopWeb() {
        return at("/api/action").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"stop\",\"app\":\"web\"}"));
    }

    @Test
    void linkIsTheLoopbackAddressWithAToken() {
        assertTrue(link.matches("http://127\\.0\\.0\\.1:" + dashboardPort + "/\\?token=[A-Za-z0-9_-]{43}"), link);
    }

    @Test
    void withoutTokenOrCookieEverythingIs401() throws Exception {
        for (var path : new String[] {"/", "/dashboard.js", "/api/state", "/api/stream", "/api/logs?app=web"}) {
            var r = send(at(path));
            assertEquals(401, r.statusCode(), path);
            assertTrue(r.body().contains("zdm dashboard"), r.body());
        }
        assertEquals(401, send(stopWeb()).statusCode());
        assertEquals(AppView.Desired.RUNNING, z.app("web").desired());
    }

    @Test
    void aWrongTokenOrCookieIsRefused() throws Exception {
        String token = link.substring(link.indexOf("token=") + 6);
        String wrong = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
        var r = send(at("/?token=" + wrong));
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
        // neither the token itself nor another value passes as the cookie
        for (var value : new String[] {token, "0".repeat(64)}) {
            assertEquals(401, send(at("/api/state").header("Cookie", "zdm_dashboard_" + dashboardPort + "=" + value)).statusCode());
        }
    }

    @Test
    void theLinkTradesTheTokenForAStrictHttpOnlyCookie() throws Exception {
        var r = send(HttpRequest.newBuilder(URI.create(link)));
        assertEquals(303, r.statusCode());
        assertEquals("/", r.headers().firstValue("Location").orElseThrow(), "the token leaves the address bar");
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        var attributes = java.util.Arrays.stream(setCookie.split(";")).map(String::strip).toList();
        assertTrue(attributes.contains("HttpOnly"), setCookie);
        assertTrue(attributes.contains("SameSite=Strict"), setCookie);
        assertTrue(attributes.contains("Path=/"), setCookie);
        assertTrue(attributes.getFirst().startsWith("zdm_dashboard_" + dashboardPort + "="), setCookie);
        assertFalse(setCookie.contains(link.substring(link.indexOf("token=") + 6)), "the cookie is not the token");

        var page = send(at("/").header("Cookie", attributes.getFirst()));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"/dashboard.js\""), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'self'"));
        var token = z.home.resolve("dashboard.token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
    }

    @Test
    void anActionNeedsTheCsrfHeader() throws Exception {
        String cookie = login();
        assertEquals(403, send(stopWeb().header("Cookie", cookie)).statusCode());
        assertEquals(403, send(stopWeb().header("Cookie", cookie).header("X-Zdm-Csrf", "0".repeat(64))).statusCode());
        Await.holdsFor(Duration.ofSeconds(1), () -> z.app("web").desired() == AppView.Desired.RUNNING, "web left running");

        var ok = send(stopWeb().header("Cookie", cookie).header("X-Zdm-Csrf", csrf(cookie)));
        assertEquals(202, ok.statusCode(), ok.body());
        Await.until(SHORT, () -> z.app("web").status() == AppView.Status.STOPPED, "web stopped by the dashboard");
        assertTrue(z.ok("events", "web").out().contains("stop"), "the stop is an event like the CLI's");
        z.ok("start", "web");
    }

    @Test
    void aGetCannotAct() throws Exception {
        String cookie = login();
        var r = send(at("/api/action?action=stop&app=web").header("Cookie", cookie).header("X-Zdm-Csrf", csrf(cookie)));
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElseThrow());
        Await.holdsFor(Duration.ofSeconds(1), () -> z.app("web").desired() == AppView.Desired.RUNNING, "web left running");
    }

    @Test
    void anActionFromAnotherOriginIsRefused() throws Exception {
        String cookie = login();
        var r = send(stopWeb().header("Cookie", cookie).header("X-Zdm-Csrf", csrf(cookie)).header("Origin", "http://evil.example"));
        assertEquals(403, r.statusCode());
    }

    @Test
    void aNonLoopbackAddressIsRefusedWithTheSafeWays() throws Exception {
        int other = FreePorts.reserve();
        ecosystem("dashboard:\n  listen: 0.0.0.0:" + other);
        var r = z.zdm("start", "ecosystem.yaml");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("dashboard.listen: 0.0.0.0 is not a loopback address"), r.err());
        assertTrue(r.err().contains("ssh -L " + other + ":127.0.0.1:" + other), r.err());
        assertTrue(r.err().contains("reverse proxy with TLS"), r.err());
        var refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other + "/")).build(),
                        HttpResponse.BodyHandlers.ofString()));
        assertTrue(refused instanceof ConnectException, refused.toString());
        assertEquals(link, z.ok("dashboard").out().strip(), "the dashboard stays where it was");
        ecosystem("dashboard: { listen: " + dashboardPort + " }");
    }

    @Test
    void offThenEnableThenARestartedDaemonServesTheSameLink() throws Exception {
        ecosystem("dashboard: { enabled: false }");
        z.ok("start", "ecosystem.yaml");
        var off = z.zdm("dashboard");
        assertEquals(1, off.exitCode(), off.toString());
        assertTrue(off.err().contains("the dashboard is off; turn it on with 'zdm dashboard --enable'"), off.err());
        assertNotEquals(200, statusOrRefused());

        assertEquals(link, z.ok("dashboard", "--enable").out().strip(), "back where it was, same token");
        assertEquals(401, statusOrRefused());
        z.ok("kill");
        z.ok("ping");
        assertEquals(link, z.ok("dashboard").out().strip(), "a new daemon serves it again");
        assertEquals(303, send(HttpRequest.newBuilder(URI.create(link))).statusCode());
        ecosystem("dashboard: { listen: " + dashboardPort + " }");
    }

    @Test
    void openHandsTheLinkToTheBrowser() throws Exception {
        var seen = z.dir.resolve("browser-saw");
        var browser = z.file("browser.sh", "#!/bin/sh\necho \"$1\" > " + seen + "\n");
        Files.setPosixFilePermissions(browser, PosixFilePermissions.fromString("rwx------"));
        z.env.put("BROWSER", browser.toString());
        assertEquals(link, z.ok("dashboard", "--open").out().strip());
        Await.until(SHORT, () -> Files.exists(seen), "the browser command ran");
        Await.until(SHORT, () -> read(seen).strip().equals(link), () -> "the browser got the link: " + read(seen));
    }

    private static String read(java.nio.file.Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private int statusOrRefused() throws InterruptedException {
        try {
            return send(at("/")).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
