package zdm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The streaming codec writes the bytes Jackson's data binding wrote for the protocol before it (zdm
 * 0.1.0 up to this change), and reads what data binding wrote: a client and a daemon of either side of
 * the change talk to each other. The reference is data binding configured as Wire was, with the
 * annotations the protocol records carried then, as mix-ins.
 */
class WireCompatibilityTest {
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Request.Ping.class, name = "ping"),
            @JsonSubTypes.Type(value = Request.StartFile.class, name = "start-file"),
            @JsonSubTypes.Type(value = Request.StartInline.class, name = "start-inline"),
            @JsonSubTypes.Type(value = Request.StartApps.class, name = "start-apps"),
            @JsonSubTypes.Type(value = Request.Stop.class, name = "stop"),
            @JsonSubTypes.Type(value = Request.Restart.class, name = "restart"),
            @JsonSubTypes.Type(value = Request.Reload.class, name = "reload"),
            @JsonSubTypes.Type(value = Request.Delete.class, name = "delete"),
            @JsonSubTypes.Type(value = Request.Scale.class, name = "scale"),
            @JsonSubTypes.Type(value = Request.ListApps.class, name = "list"),
            @JsonSubTypes.Type(value = Request.Describe.class, name = "describe"),
            @JsonSubTypes.Type(value = Request.Logs.class, name = "logs"),
            @JsonSubTypes.Type(value = Request.Shutdown.class, name = "shutdown"),
            @JsonSubTypes.Type(value = Request.Events.class, name = "events"),
            @JsonSubTypes.Type(value = Request.Flush.class, name = "flush"),
            @JsonSubTypes.Type(value = Request.Dashboard.class, name = "dashboard"),
            @JsonSubTypes.Type(value = Request.Run.class, name = "run"),
    })
    interface OldRequest {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Response.Pong.class, name = "pong"),
            @JsonSubTypes.Type(value = Response.Progress.class, name = "progress"),
            @JsonSubTypes.Type(value = Response.Apps.class, name = "apps"),
            @JsonSubTypes.Type(value = Response.Described.class, name = "described"),
            @JsonSubTypes.Type(value = Response.LogLine.class, name = "log-line"),
            @JsonSubTypes.Type(value = Response.Done.class, name = "done"),
            @JsonSubTypes.Type(value = Response.Failed.class, name = "failed"),
            @JsonSubTypes.Type(value = Response.Event.class, name = "event"),
            @JsonSubTypes.Type(value = Response.Output.class, name = "output"),
            @JsonSubTypes.Type(value = Response.Follows.class, name = "follows"),
            @JsonSubTypes.Type(value = Response.Exit.class, name = "exit"),
            @JsonSubTypes.Type(value = Response.RunHere.class, name = "run-here"),
    })
    interface OldResponse {
        @JsonIgnore
        boolean isFinal();
    }

    interface OldSpecView {
        @JsonIgnore
        boolean socketMode();
    }

    static final ObjectMapper DATA_BINDING = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .addMixIn(Request.class, OldRequest.class)
            .addMixIn(Response.class, OldResponse.class)
            .addMixIn(SpecView.class, OldSpecView.class);

    @Test
    void everyRequestIsWrittenAsDataBindingWroteIt() throws Exception {
        for (Request r : WireSamples.requests()) {
            var envelope = new Wire.Envelope(Wire.PROTOCOL_VERSION, r);
            assertEquals(Wire.text(DATA_BINDING.writeValueAsBytes(envelope)), Wire.text(Wire.encode(envelope)));
        }
    }

    @Test
    void everyResponseIsWrittenAsDataBindingWroteIt() throws Exception {
        for (Response r : WireSamples.responses()) {
            assertEquals(Wire.text(DATA_BINDING.writeValueAsBytes(r)), Wire.text(Wire.encode(r)));
        }
    }

    @Test
    void whatDataBindingWroteIsReadBackTheSame() throws Exception {
        for (Request r : WireSamples.requests()) {
            var envelope = new Wire.Envelope(Wire.PROTOCOL_VERSION, r);
            assertEquals(envelope, Wire.decodeRequest(DATA_BINDING.writeValueAsBytes(envelope)));
        }
        for (Response r : WireSamples.responses()) {
            assertEquals(r, Wire.decodeResponse(DATA_BINDING.writeValueAsBytes(r)));
        }
    }

    @Test
    void whatTheCodecWritesDataBindingReadsTheSame() throws Exception {
        for (Request r : WireSamples.requests()) {
            var envelope = new Wire.Envelope(Wire.PROTOCOL_VERSION, r);
            assertEquals(envelope, DATA_BINDING.readValue(Wire.encode(envelope), Wire.Envelope.class));
        }
        for (Response r : WireSamples.responses()) {
            assertEquals(r, DATA_BINDING.readValue(Wire.encode(r), Response.class));
        }
    }

    /** The samples cover every message type, and the codec names each as data binding did. */
    @Test
    void theSamplesAndTheNamesCoverEveryType() {
        assertEquals(Set.of(Request.class.getPermittedSubclasses()), classes(WireSamples.requests()));
        assertEquals(Set.of(Response.class.getPermittedSubclasses()), classes(WireSamples.responses()));
        assertEquals(names(OldRequest.class), List.copyOf(Wire.requestTypes().keySet()));
        assertEquals(names(OldResponse.class), List.copyOf(ResponseCodec.TYPES.byName().keySet()));
    }

    private static Set<Class<?>> classes(List<?> messages) {
        var set = new HashSet<Class<?>>();
        messages.forEach(m -> set.add(m.getClass()));
        return set;
    }

    private static List<String> names(Class<?> mixin) {
        return Arrays.stream(mixin.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name).toList();
    }
}
