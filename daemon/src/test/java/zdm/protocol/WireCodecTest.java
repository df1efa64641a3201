package zdm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol codec's reading of what peers may send: older and newer fields, loose scalars, and garbage. */
class WireCodecTest {
    @Test
    void everyMessageRoundTrips() throws Exception {
        for (Request r : WireSamples.requests()) {
            var envelope = new Wire.Envelope(Wire.PROTOCOL_VERSION, r);
            assertEquals(envelope, Wire.decodeRequest(Wire.encode(envelope)));
        }
        for (Response r : WireSamples.responses()) assertEquals(r, Wire.decodeResponse(Wire.encode(r)));
    }

    @Test
    void anInlineAppKeepsTheJavaTypesOfItsValues() throws Exception {
        var app = ((Request.StartInline) request("""
                {"type":"start-inline","cwd":"/","app":{"i":1,"l":10000000000,"b":123456789012345678901234567890,
                 "d":0.5,"e":1e3,"t":true,"n":null,"a":[1,{"k":"v"}],"o":{}}}""")).app();
        assertEquals(Integer.class, app.get("i").getClass());
        assertEquals(Long.class, app.get("l").getClass());
        assertEquals(java.math.BigInteger.class, app.get("b").getClass());
        assertEquals(Double.class, app.get("d").getClass());
        assertEquals(1000.0, app.get("e"));
        assertEquals(List.of(1, Map.of("k", "v")), app.get("a"));
        assertTrue(app.containsKey("n"));
        assertEquals(List.of("i", "l", "b", "d", "e", "t", "n", "a", "o"), List.copyOf(app.keySet()));
    }

    @Test
    void theTypeMayComeLastAndUnknownFieldsAreIgnored() throws Exception {
        assertEquals(new Request.Scale("web", 3), request("{\"app\":\"web\",\"future\":[1,{}],\"instances\":3,\"type\":\"scale\"}"));
        assertEquals(new Response.Exit(2), Wire.decodeResponse(bytes("{\"code\":2,\"extra\":{\"a\":null},\"type\":\"exit\"}")));
    }

    @Test
    void missingFieldsAreNullZeroOrFalse() throws Exception {
        assertEquals(new Request.Logs("web", 0, false, null), request("{\"type\":\"logs\",\"target\":\"web\"}"));
        assertEquals(new Request.Events(null, 0, 0, false), request("{\"type\":\"events\",\"limit\":null}"));
        assertEquals(new Response.Failed(ErrorKind.FAILED, null, List.of()), Wire.decodeResponse(bytes("{\"type\":\"failed\",\"kind\":\"FAILED\"}")));
    }

    @Test
    void scalarsAreConvertedAsDataBindingDid() throws Exception {
        assertEquals(new Request.Scale("12", 7), request("{\"type\":\"scale\",\"app\":12,\"instances\":\"7\"}"));
        assertEquals(new Request.Scale("web", 1), request("{\"type\":\"scale\",\"app\":\"web\",\"instances\":1.9}"));
        assertEquals(new Request.Describe("web", true), request("{\"type\":\"describe\",\"app\":\"web\",\"showSecrets\":\"true\"}"));
    }

    @Test
    void aValueOfTheWrongShapeIsAMalformedRequestNamingTheField() {
        assertMalformed("\"instances\" must be", "{\"type\":\"scale\",\"app\":\"web\",\"instances\":{}}");
        assertMalformed("\"instances\" must be a number in", "{\"type\":\"scale\",\"app\":\"web\",\"instances\":4294967296}");
        assertMalformed("\"app\" must be a string", "{\"type\":\"scale\",\"app\":[\"web\"],\"instances\":1}");
        assertMalformed("\"args[1]\" must be a string", "{\"type\":\"run\",\"args\":[\"ls\",{}]}");
        assertMalformed("\"callerEnv\" must be a JSON object", "{\"type\":\"start-apps\",\"target\":\"all\",\"callerEnv\":\"x\"}");
        assertMalformed("\"stream\" must be one of [OUT, ERR]", "{\"type\":\"logs\",\"target\":\"web\",\"stream\":\"both\"}");
        assertMalformed("\"follow\" must be true or false", "{\"type\":\"logs\",\"target\":\"web\",\"follow\":\"yes\"}");
        assertMalformed("unknown request type 'nap' (known: ping, start-file,", "{\"type\":\"nap\"}");
        assertMalformed("a request needs a \"type\"", "{\"target\":\"web\"}");
        assertMalformed("\"request\" must be a JSON object", "[]");
    }

    @Test
    void theEnvelopeIsCheckedFirst() {
        assertEquals("a request must be a JSON object", refused(""));
        assertEquals("a request must be a JSON object", refused("[1]"));
        assertEquals("a request needs a protocol version \"v\"", refused("{\"request\":{\"type\":\"ping\"}}"));
        assertEquals("a request needs a protocol version \"v\"", refused("{\"v\":\"1\",\"request\":{\"type\":\"ping\"}}"));
        assertTrue(refused("{\"v\":2,\"request\":{\"type\":\"ping\"}}").startsWith("protocol version 2 is not supported"));
        assertEquals("a request needs \"request\": {\"type\": ...}", refused("{\"v\":1,\"request\":null}"));
        assertEquals("request 'stop' needs target (an app name or \"all\")", refused("{\"v\":1,\"request\":{\"type\":\"stop\"}}"));
        assertTrue(refused("{\"v\":1,\"request\":{\"type\":\"ping\"").startsWith("malformed request: Unexpected end-of-input"));
        assertTrue(refused("{\"v\":1,\"request\":{\"type\":\"ping\",}}").startsWith("malformed request: Unexpected character"));
    }

    /** Nesting is bounded by the parser: a frame of brackets is refused, not a stack overflow. */
    @Test
    void deepNestingIsRefused() {
        String deep = "{\"v\":1,\"request\":{\"type\":\"start-inline\",\"cwd\":\"/\",\"app\":{\"a\":" + "[".repeat(100_000) + "}}}";
        assertTrue(refused(deep).startsWith("malformed request: Document nesting depth"), refused(deep));
    }

    @Test
    void aResponseThatCannotBeBuiltIsMalformed() {
        var e = assertThrows(ProtocolException.class, () -> Wire.decodeResponse(bytes("{\"type\":\"described\",\"app\":{\"events\":null}}")));
        assertTrue(e.getMessage().startsWith("malformed response from the daemon: "), e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Wire.decodeResponse(bytes("{\"type\":\"teapot\"}")));
        assertEquals("malformed response from the daemon: unknown response type 'teapot'", e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Wire.decodeResponse(bytes("\"pong\"")));
        assertEquals("malformed response from the daemon: a response must be a JSON object", e.getMessage());
    }

    @Test
    void anAppValueOfAnotherKindCannotBeSent() {
        var app = Map.<String, Object>of("when", java.time.Instant.EPOCH);
        assertThrows(IllegalArgumentException.class, () -> Wire.encode(new Wire.Envelope(1, new Request.StartInline(app, "/"))));
    }

    private static Request request(String json) throws ProtocolException {
        return Wire.decodeRequest(bytes("{\"v\":1,\"request\":" + json + "}")).request();
    }

    private static String refused(String body) {
        return assertThrows(ProtocolException.class, () -> Wire.decodeRequest(bytes(body))).getMessage();
    }

    private static void assertMalformed(String start, String json) {
        String message = refused("{\"v\":1,\"request\":" + json + "}");
        assertTrue(message.startsWith("malformed request: " + start), message);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
