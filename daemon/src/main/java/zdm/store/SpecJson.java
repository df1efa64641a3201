package zdm.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import zdm.config.AppSpec;

/**
 * How the store writes a spec in its {@code spec_json} column: the store's own mapping, not the control
 * protocol's, so a change of the wire does not change what is on disk (and the reverse). The format is
 * one flat JSON object of the spec's values by name; a value missing from an older row takes its default
 * in {@link AppSpec}, an unknown one (a newer zdm's) is ignored.
 */
final class SpecJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SpecJson() {}

    static String write(AppSpec spec) throws JsonProcessingException {
        return JSON.writeValueAsString(spec);
    }

    static AppSpec read(String json) throws JsonProcessingException {
        return JSON.readValue(json, AppSpec.class);
    }
}
