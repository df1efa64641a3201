package zdm.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;
import zdm.protocol.Wire;

/**
 * The {@code zdm ls --json} document. Written field by field (not by serializing the protocol
 * records) so that scripts keep working when the protocol grows; the schema is in docs/cli.md.
 * Stateless.
 */
public final class AppJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AppJson() {}

    /** A JSON array of apps on one line (no trailing newline). */
    public static String render(List<AppView> apps) {
        ArrayNode array = NODES.arrayNode();
        apps.forEach(app -> array.add(app(app)));
        return Wire.text(Wire.encode(array));
    }

    private static JsonNode app(AppView app) {
        ObjectNode node = NODES.objectNode()
                .put("name", app.name())
                .put("mode", AppTable.mode(app))
                .put("status", app.status().wireName())
                .put("desired", app.desired().wireName())
                .put("instances", app.instances())
                .put("port", app.port())
                .put("ready", app.onlineCount());
        ArrayNode workers = node.putArray("workers");
        app.workers().forEach(w -> workers.add(worker(w)));
        return node;
    }

    private static JsonNode worker(WorkerView w) {
        return NODES.objectNode()
                .put("id", w.id())
                .put("state", w.state().wireName())
                .put("pid", w.pid())
                .put("restarts", w.restarts())
                .put("uptimeMs", w.uptimeMs())
                .put("cpuPercent", w.cpuPercent())
                .put("memoryBytes", w.memoryBytes())
                .put("lastExit", w.lastExit())
                .put("status", w.status());
    }
}
