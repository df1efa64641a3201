package zdm.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zdm.config.AppSpec;
import zdm.protocol.JsonTree;

/**
 * How the store writes a spec in its {@code spec_json} column: the store's own mapping, not the control
 * protocol's, so a change of the wire does not change what is on disk (and the reverse). The format is
 * one flat JSON object of the spec's values by name, as zdm wrote it before the spec was grouped into parts
 * ({@code process}, {@code network}, ...): each part's values are written at the top level and gathered
 * back into their part when read, by the parts' own component names (unique across parts, see
 * SpecJsonTest). A value missing from an older row takes its default in its part, an unknown one (a newer
 * zdm's) is ignored. Written and read by {@link RecordJson} (jackson-core's streaming API, no data binding), in
 * the bytes data binding wrote (SpecJsonTest).
 */
final class SpecJson {
    private static final JsonFactory JSON = new JsonFactory();
    /** The spec's components that are records of their own: its parts. */
    static final List<RecordComponent> PARTS = Arrays.stream(RecordJson.parts(AppSpec.class))
            .filter(c -> c.getType().isRecord()).toList();

    private SpecJson() {}

    static String write(AppSpec spec) throws JsonProcessingException {
        var out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (var c : RecordJson.parts(AppSpec.class)) {
                if (c.getType().isRecord()) continue; // a part: its values follow at the top level
                g.writeFieldName(c.getName());
                RecordJson.write(g, c.getAccessor().invoke(spec));
            }
            for (var part : PARTS) RecordJson.components(g, (Record) part.getAccessor().invoke(spec));
            g.writeEndObject();
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException | ReflectiveOperationException | IllegalArgumentException e) {
            throw new JsonGenerationException(e.toString(), (JsonGenerator) null);
        }
        return out.toString();
    }

    static AppSpec read(String json) throws JsonProcessingException {
        try {
            if (!(JsonTree.read(json.getBytes(StandardCharsets.UTF_8)) instanceof Map<?, ?> flat)) {
                throw new JsonParseException(null, "not a JSON object");
            }
            var tree = new LinkedHashMap<Object, Object>(flat);
            for (var part : PARTS) {
                var values = new LinkedHashMap<String, Object>();
                for (var c : RecordJson.parts(part.getType())) {
                    if (tree.containsKey(c.getName())) values.put(c.getName(), tree.remove(c.getName()));
                }
                tree.put(part.getName(), values);
            }
            return (AppSpec) RecordJson.read(tree, AppSpec.class);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new JsonParseException(null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
