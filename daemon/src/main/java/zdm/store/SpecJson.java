package zdm.store;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import zdm.config.AppSpec;

/**
 * How the store writes a spec in its {@code spec_json} column: the store's own mapping, not the control
 * protocol's, so a change of the wire does not change what is on disk (and the reverse). The format is
 * one flat JSON object of the spec's values by name, as zdm wrote it before the spec was grouped into parts
 * ({@code process}, {@code network}, ...): each part's values are written at the top level and gathered
 * back into their part when read, by the parts' own component names (unique across parts, see
 * SpecJsonTest). A value missing from an older row takes its default in its part, an unknown one (a newer
 * zdm's) is ignored.
 */
final class SpecJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** The spec's components that are records of their own: its parts. */
    static final List<RecordComponent> PARTS = Arrays.stream(AppSpec.class.getRecordComponents())
            .filter(c -> c.getType().isRecord()).toList();

    private SpecJson() {}

    static String write(AppSpec spec) throws JsonProcessingException {
        ObjectNode tree = JSON.valueToTree(spec);
        for (var part : PARTS) {
            var values = (ObjectNode) tree.remove(part.getName());
            values.properties().forEach(e -> tree.set(e.getKey(), e.getValue()));
        }
        return JSON.writeValueAsString(tree);
    }

    static AppSpec read(String json) throws JsonProcessingException {
        if (!(JSON.readTree(json) instanceof ObjectNode tree)) throw new JsonParseException(null, "not a JSON object");
        for (var part : PARTS) {
            var values = JSON.createObjectNode();
            for (var c : part.getType().getRecordComponents()) {
                var v = tree.remove(c.getName());
                if (v != null) values.set(c.getName(), v);
            }
            tree.set(part.getName(), values);
        }
        return JSON.treeToValue(tree, AppSpec.class);
    }
}
