package zdm.view;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;

/**
 * The {@code zdm ls --json} document. Written field by field (not by serializing the protocol
 * records) so that scripts keep working when the protocol grows; the schema is in docs/cli.md.
 * jackson-core's generator, not data binding: the command runs in the daemon (the fast path), which
 * loads no data binding for it. Stateless.
 */
public final class AppJson {
    private static final JsonFactory JSON = new JsonFactory();

    private AppJson() {}

    /** A JSON array of apps on one line (no trailing newline). */
    public static String render(List<AppView> apps) {
        var out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (AppView app : apps) app(g, app);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void app(JsonGenerator g, AppView app) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", app.name());
        g.writeStringField("mode", AppTable.mode(app));
        g.writeStringField("status", app.status().wireName());
        g.writeStringField("desired", app.desired().wireName());
        g.writeNumberField("instances", app.instances());
        g.writeFieldName("port");
        if (app.port() == null) g.writeNull();
        else g.writeNumber(app.port().intValue());
        g.writeNumberField("ready", app.onlineCount());
        g.writeArrayFieldStart("workers");
        for (WorkerView w : app.workers()) worker(g, w);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void worker(JsonGenerator g, WorkerView w) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", w.id());
        g.writeStringField("state", w.state().wireName());
        g.writeNumberField("pid", w.pid());
        g.writeNumberField("restarts", w.restarts());
        g.writeNumberField("uptimeMs", w.uptimeMs());
        g.writeNumberField("cpuPercent", w.cpuPercent());
        g.writeNumberField("memoryBytes", w.memoryBytes());
        g.writeStringField("lastExit", w.lastExit());
        g.writeStringField("status", w.status());
        g.writeEndObject();
    }
}
