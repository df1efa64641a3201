package zdm.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppJsonTest {
    @Test
    void schemaIsStable() throws Exception {
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(AppJson.render(AppTableTest.APPS));
        assertEquals(3, json.size());
        assertEquals(List.of("name", "mode", "status", "desired", "instances", "port", "ready", "workers"), fields(json.get(0)));
        assertEquals(List.of("id", "state", "pid", "restarts", "uptimeMs", "cpuPercent", "memoryBytes", "lastExit", "status"),
                fields(json.get(0).get("workers").get(0)));
    }

    @Test
    void valuesAreRawNumbersAndNulls() {
        assertEquals("""
                [{"name":"web","mode":"socket","status":"degraded","desired":"running","instances":2,"port":8080,"ready":1,"workers":[\
                {"id":1,"state":"waiting-restart","pid":0,"restarts":3,"uptimeMs":0,"cpuPercent":-1.0,"memoryBytes":-1,"lastExit":"code 1","status":null},\
                {"id":0,"state":"online","pid":12345,"restarts":0,"uptimeMs":5000,"cpuPercent":0.25,"memoryBytes":12897485,"lastExit":null,"status":null}]},\
                {"name":"api","mode":"fork","status":"stopped","desired":"stopped","instances":1,"port":null,"ready":0,"workers":[]},\
                {"name":"jobs","mode":"fork","status":"running","desired":"running","instances":1,"port":null,"ready":1,"workers":[\
                {"id":0,"state":"online","pid":7,"restarts":12,"uptimeMs":7200000,"cpuPercent":101.04,"memoryBytes":2147483648,"lastExit":"signal SIGKILL","status":null}]}]""",
                AppJson.render(AppTableTest.APPS));
    }

    private static List<String> fields(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
