package zdm.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Chrome DevTools protocol over the JDK's WebSocket client: commands by id, answers matched to
 * them. Just what the browser test needs (navigate, evaluate, a real mouse click, screenshots, a
 * phone-sized viewport), with no library and no driver binary in between. Thread-safe.
 */
final class Cdp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER = Duration.ofSeconds(60);

    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Cdp(WebSocket socket) {
        this.socket = socket;
    }

    static Cdp connectToPage(int port) throws IOException, InterruptedException {
        var http = HttpClient.newHttpClient();
        var list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString());
        String url = null;
        for (var target : JSON.readTree(list.body())) {
            if ("page".equals(target.path("type").asText())) url = target.path("webSocketDebuggerUrl").asText();
        }
        if (url == null) throw new IOException("Chromium has no page target: " + list.body());
        var holder = new CompletableFuture<Cdp>();
        var listener = new Listener(holder);
        var ws = http.newWebSocketBuilder().buildAsync(URI.create(url), listener).join();
        var cdp = new Cdp(ws);
        holder.complete(cdp);
        return cdp;
    }

    /** Sends a command and waits for its result; a protocol error fails the test with Chromium's message. */
    JsonNode call(String method, Map<String, ?> params) {
        long id = ids.incrementAndGet();
        var answer = new CompletableFuture<JsonNode>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        socket.sendText(message.toString(), true).join();
        JsonNode reply;
        try {
            reply = answer.get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(method + " got no answer: " + e, e);
        } finally {
            pending.remove(id);
        }
        if (reply.has("error")) throw new AssertionError(method + ": " + reply.get("error"));
        return reply.path("result");
    }

    /** The value of a JavaScript expression in the page (JSON-like values come back as JSON). */
    JsonNode eval(String expression) {
        var r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) throw new AssertionError(expression + ": " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** An expression's value as text, or "error: ..." while the page cannot evaluate it yet (not loaded). */
    String text(String expression) {
        return eval("(() => { try { return String(" + expression + "); } catch (e) { return 'error: ' + e; } })()").asText();
    }

    void navigate(String url) {
        call("Page.navigate", Map.of("url", url));
    }

    /**
     * A real click (mouse pressed and released at the element's centre), as a user's, not element.click().
     * The page re-renders live (worker rows, sparklines), so the element can move between measuring
     * it and the mouse event; a click that did not reach the element (it listens for this one click)
     * is measured and sent again, as a user would click again, up to 5 times.
     */
    void click(String selector) {
        for (int attempt = 1; ; attempt++) {
            String token = "zdm-click-" + ids.incrementAndGet();
            var rect = eval("(() => { const e = document.querySelector(" + JSON.valueToTree(selector) + ");"
                    + " if (!e) return null; e.scrollIntoView({block: 'center'});"
                    + " e.addEventListener('click', () => { window.__zdmClicked = '" + token + "'; }, {once: true, capture: true});"
                    + " const r = e.getBoundingClientRect();"
                    + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
            if (rect.isNull() || rect.isMissingNode()) throw new AssertionError("nothing on the page matches " + selector);
            double x = rect.get("x").asDouble(), y = rect.get("y").asDouble();
            for (var type : new String[] {"mousePressed", "mouseReleased"}) {
                call("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
            }
            if (token.equals(eval("window.__zdmClicked").asText())) return;
            System.out.println("click " + attempt + " at " + selector + " did not reach it (the page moved); clicking again");
            if (attempt == 5) {
                throw new AssertionError("5 clicks at " + selector + " did not reach it (the page moved under the mouse"
                        + " or covers it); at its last centre (" + x + ", " + y + ") is "
                        + eval("(() => { const e = document.elementFromPoint(" + x + ", " + y + ");"
                                + " return e ? e.tagName + '.' + e.className : 'nothing'; })()").asText());
            }
        }
    }

    /** The viewport as a phone (or back to a desktop) of that many CSS pixels. */
    void viewport(int width, int height, boolean mobile) {
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", mobile));
    }

    byte[] screenshot() {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    /** Collects a message's frames, then hands a command's answer to its waiter; events are not used. */
    private static final class Listener implements WebSocket.Listener {
        private final CompletableFuture<Cdp> owner;
        private final StringBuilder partial = new StringBuilder();

        Listener(CompletableFuture<Cdp> owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    var node = JSON.readTree(text);
                    if (node.has("id")) {
                        var waiter = owner.join().pending.get(node.get("id").asLong());
                        if (waiter != null) waiter.complete(node);
                    }
                } catch (IOException e) {
                    // not JSON: Chromium never sends that
                }
            }
            ws.request(1);
            return null;
        }
    }
}
