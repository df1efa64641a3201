package zdm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/** The fast client's own JSON against the daemon's codec (Jackson): what it reads and what it writes. */
class JsonTest {
    private static final String AWKWARD = "tab\there \"quoted\" back\\slash nl\n cr\r \u0001\u001f del\u007f é ü 日本 😀 \u2028 /";

    private static Map<String, Object> fields(String json) {
        return Json.fields(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyAnswerTheDaemonSendsReadsAsItsFields() {
        assertEquals(Map.of("type", "output", "text", AWKWARD, "err", true), Json.fields(Wire.encode(new Response.Output(AWKWARD, true))));
        assertEquals(Map.of("type", "exit", "code", 3L), Json.fields(Wire.encode(new Response.Exit(3))));
        assertEquals(Map.of("type", "follows"), Json.fields(Wire.encode(new Response.Follows())));
        var runHere = new HashMap<String, Object>(Map.of("type", "run-here"));
        runHere.put("notice", null);
        var read = Json.fields(Wire.encode(new Response.RunHere(null)));
        read.putIfAbsent("notice", null); // absent or null: both mean no notice
        assertEquals(runHere, read);
        assertEquals(Map.of("type", "run-here", "notice", AWKWARD), Json.fields(Wire.encode(new Response.RunHere(AWKWARD))));
        Map<String, Object> failed = Json.fields(Wire.encode(new Response.Failed(ErrorKind.BAD_REQUEST, "no", List.of("a", "b"))));
        assertEquals("failed", failed.get("type"));
        assertEquals("no", failed.get("message"));
    }

    @Test
    void nestedValuesAndFractionsAreSkippedAndEscapesDecoded() {
        assertEquals(Map.of("type", "output", "text", "a\"b/é😀", "n", -12L, "ok", false),
                fields(" { \"more\" : {\"x\": [1, {\"y\": \"}]\"}], \"z\": null}, \"type\":\"output\",\"f\":1.5e3,"
                        + "\"text\":\"a\\\"b\\/\\u00e9\\ud83d\\ude00\", \"list\": [], \"n\": -12, \"ok\": false } "));
        assertEquals(Map.of(), fields("{}"));
    }

    @Test
    void malformedAnswersAreRefused() {
        for (String bad : List.of("", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":\"x}", "{\"a\":tru}", "{\"a\":\"\\q\"}",
                "{\"a\":\"\\u12\"}", "{\"a\":[1,2}", "{} x", "{\"a\":1 \"b\":2}", "{\"a\":--1}")) {
            assertThrows(IllegalArgumentException.class, () -> fields(bad), bad);
        }
    }

    /** What the writer writes, Jackson reads back as the same strings. */
    @Test
    void writtenStringsReadBackInJackson() throws Exception {
        byte[] json = new Json.Writer().raw("{").name(AWKWARD).string(AWKWARD).raw(",").name("k").string("").raw("}").bytes();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            assertEquals(JsonToken.FIELD_NAME, p.nextToken());
            assertEquals(AWKWARD, p.currentName());
            assertEquals(JsonToken.VALUE_STRING, p.nextToken());
            assertEquals(AWKWARD, p.getText());
            p.nextToken();
            assertEquals("k", p.currentName());
            p.nextToken();
            assertEquals("", p.getText());
            assertEquals(JsonToken.END_OBJECT, p.nextToken());
        }
    }
}
