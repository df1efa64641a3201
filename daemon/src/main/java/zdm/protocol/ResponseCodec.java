package zdm.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.LinkedHashMap;

/**
 * Each {@link Response} on the wire: {@code {"type": <name>, <its components in order>}}, as
 * {@link RequestCodec} does for requests (an exhaustive writing switch, {@link #TYPES}, a reading switch).
 * Stateless.
 */
final class ResponseCodec {
    /** Every response's name on the wire. */
    static final TypeNames<Response> TYPES = types();

    private ResponseCodec() {}

    private static TypeNames<Response> types() {
        var t = new LinkedHashMap<String, Class<? extends Response>>();
        t.put("pong", Response.Pong.class);
        t.put("progress", Response.Progress.class);
        t.put("apps", Response.Apps.class);
        t.put("described", Response.Described.class);
        t.put("log-line", Response.LogLine.class);
        t.put("done", Response.Done.class);
        t.put("failed", Response.Failed.class);
        t.put("event", Response.Event.class);
        t.put("output", Response.Output.class);
        t.put("follows", Response.Follows.class);
        t.put("exit", Response.Exit.class);
        t.put("run-here", Response.RunHere.class);
        return new TypeNames<>(t);
    }

    static void write(JsonGenerator g, Response response) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", TYPES.nameOf(response));
        switch (response) {
            case Response.Pong p -> {
                g.writeStringField("version", p.version());
                g.writeNumberField("protocol", p.protocol());
                g.writeNumberField("pid", p.pid());
                g.writeNumberField("uptimeMs", p.uptimeMs());
                g.writeStringField("home", p.home());
            }
            case Response.Progress p -> g.writeStringField("line", p.line());
            case Response.Apps a -> {
                g.writeFieldName("apps");
                if (a.apps() == null) {
                    g.writeNull();
                } else {
                    g.writeStartArray();
                    for (AppView app : a.apps()) ViewCodec.app(g, app);
                    g.writeEndArray();
                }
                g.writeStringField("message", a.message());
            }
            case Response.Described d -> {
                g.writeFieldName("app");
                ViewCodec.detail(g, d.app());
            }
            case Response.LogLine l -> {
                g.writeStringField("line", l.line());
                g.writeBooleanField("err", l.err());
            }
            case Response.Done d -> g.writeStringField("message", d.message());
            case Response.Failed f -> {
                JsonOut.any(g, "kind", f.kind());
                g.writeStringField("message", f.message());
                JsonOut.strings(g, "details", f.details());
            }
            case Response.Event e -> {
                g.writeFieldName("event");
                if (e.event() == null) g.writeNull();
                else ViewCodec.event(g, e.event());
            }
            case Response.Output o -> {
                g.writeStringField("text", o.text());
                g.writeBooleanField("err", o.err());
            }
            case Response.Follows f -> { }
            case Response.Exit e -> g.writeNumberField("code", e.code());
            case Response.RunHere r -> g.writeStringField("notice", r.notice());
        }
        g.writeEndObject();
    }

    static Response read(Fields f) {
        String type = f.string("type");
        if (type == null) throw new Fields.Malformed("a response needs a \"type\"");
        return switch (type) {
            case "pong" -> new Response.Pong(f.string("version"), f.integer("protocol"), f.longValue("pid"),
                    f.longValue("uptimeMs"), f.string("home"));
            case "progress" -> new Response.Progress(f.string("line"));
            case "apps" -> new Response.Apps(f.objects("apps", ViewCodec::app), f.string("message"));
            case "described" -> new Response.Described(f.object("app", ViewCodec::detail));
            case "log-line" -> new Response.LogLine(f.string("line"), f.bool("err"));
            case "done" -> new Response.Done(f.string("message"));
            case "failed" -> new Response.Failed(f.enumValue("kind", ErrorKind.class), f.string("message"), f.strings("details"));
            case "event" -> new Response.Event(f.object("event", ViewCodec::event));
            case "output" -> new Response.Output(f.string("text"), f.bool("err"));
            case "follows" -> new Response.Follows();
            case "exit" -> new Response.Exit(f.integer("code"));
            case "run-here" -> new Response.RunHere(f.string("notice"));
            default -> throw new Fields.Malformed("unknown response type '" + type + "'");
        };
    }
}
