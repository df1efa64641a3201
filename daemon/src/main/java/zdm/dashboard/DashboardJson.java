package zdm.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The dashboard's JSON (its pages' data, live feed and posted actions), by Jackson's data binding. Its
 * own mapper, created when the dashboard first needs it: the control protocol has a lighter codec
 * (zdm.protocol.Wire), and a daemon without the dashboard loads no data binding at all.
 */
final class DashboardJson {
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    private DashboardJson() {}

    static byte[] bytes(Object value) {
        try {
            return Mapper.JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T read(byte[] body, Class<T> type) throws IOException {
        return Mapper.JSON.readValue(body, type);
    }
}
