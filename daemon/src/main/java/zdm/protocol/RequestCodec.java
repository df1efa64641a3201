package zdm.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.LinkedHashMap;

/**
 * Each {@link Request} on the wire: {@code {"type": <name>, <its components in order>}}. The writing
 * switch is exhaustive, so a new request does not compile until it is written; {@link #TYPES} names
 * every request and the reading switch reads each name (RequestCodecTest round-trips all of them).
 * Stateless.
 */
final class RequestCodec {
    /** Every request's name on the wire, in the order the protocol grew. */
    static final TypeNames<Request> TYPES = types();

    private RequestCodec() {}

    private static TypeNames<Request> types() {
        var t = new LinkedHashMap<String, Class<? extends Request>>();
        t.put("ping", Request.Ping.class);
        t.put("start-file", Request.StartFile.class);
        t.put("start-inline", Request.StartInline.class);
        t.put("start-apps", Request.StartApps.class);
        t.put("stop", Request.Stop.class);
        t.put("restart", Request.Restart.class);
        t.put("reload", Request.Reload.class);
        t.put("delete", Request.Delete.class);
        t.put("scale", Request.Scale.class);
        t.put("list", Request.ListApps.class);
        t.put("describe", Request.Describe.class);
        t.put("logs", Request.Logs.class);
        t.put("shutdown", Request.Shutdown.class);
        t.put("events", Request.Events.class);
        t.put("flush", Request.Flush.class);
        t.put("dashboard", Request.Dashboard.class);
        t.put("run", Request.Run.class);
        return new TypeNames<>(t);
    }

    static void write(JsonGenerator g, Request request) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", TYPES.nameOf(request));
        switch (request) {
            case Request.Ping p -> { }
            case Request.StartFile f -> {
                g.writeStringField("path", f.path());
                g.writeStringField("env", f.env());
                g.writeBooleanField("prune", f.prune());
                JsonOut.any(g, "callerEnv", f.callerEnv());
                g.writeBooleanField("updateEnv", f.updateEnv());
            }
            case Request.StartInline i -> {
                JsonOut.any(g, "app", i.app());
                g.writeStringField("cwd", i.cwd());
            }
            case Request.StartApps s -> {
                g.writeStringField("target", s.target());
                g.writeStringField("env", s.env());
                JsonOut.any(g, "callerEnv", s.callerEnv());
                JsonOut.any(g, "updateEnv", s.updateEnv());
            }
            case Request.Stop s -> g.writeStringField("target", s.target());
            case Request.Restart r -> {
                g.writeStringField("target", r.target());
                JsonOut.any(g, "updateEnv", r.updateEnv());
            }
            case Request.Reload r -> {
                g.writeStringField("target", r.target());
                JsonOut.any(g, "updateEnv", r.updateEnv());
            }
            case Request.Delete d -> g.writeStringField("target", d.target());
            case Request.Scale s -> {
                g.writeStringField("app", s.app());
                g.writeNumberField("instances", s.instances());
            }
            case Request.ListApps l -> { }
            case Request.Describe d -> {
                g.writeStringField("app", d.app());
                g.writeBooleanField("showSecrets", d.showSecrets());
            }
            case Request.Logs l -> {
                g.writeStringField("target", l.target());
                g.writeNumberField("lines", l.lines());
                g.writeBooleanField("follow", l.follow());
                JsonOut.any(g, "stream", l.stream());
            }
            case Request.Shutdown s -> g.writeBooleanField("keepWorkers", s.keepWorkers());
            case Request.Events e -> {
                g.writeStringField("app", e.app());
                g.writeNumberField("limit", e.limit());
                g.writeNumberField("sinceMs", e.sinceMs());
                g.writeBooleanField("follow", e.follow());
            }
            case Request.Flush f -> g.writeStringField("target", f.target());
            case Request.Dashboard d -> g.writeBooleanField("enable", d.enable());
            case Request.Run r -> {
                JsonOut.strings(g, "args", r.args());
                g.writeStringField("cwd", r.cwd());
                JsonOut.any(g, "env", r.env());
                g.writeStringField("zone", r.zone());
                g.writeBooleanField("terminal", r.terminal());
                g.writeBooleanField("colour", r.colour());
                g.writeNumberField("width", r.width());
                g.writeStringField("build", r.build());
            }
        }
        g.writeEndObject();
    }

    /** The request {@code f} holds, or a {@link Fields.Malformed} naming an unknown type. */
    static Request read(Fields f) {
        String type = f.string("type");
        if (type == null) throw new Fields.Malformed("a request needs a \"type\" (one of " + TYPES.byName().keySet() + ")");
        return switch (type) {
            case "ping" -> new Request.Ping();
            case "start-file" -> new Request.StartFile(f.string("path"), f.string("env"), f.bool("prune"),
                    f.stringMap("callerEnv"), f.bool("updateEnv"));
            case "start-inline" -> new Request.StartInline(f.anyMap("app"), f.string("cwd"));
            case "start-apps" -> new Request.StartApps(f.string("target"), f.string("env"), f.stringMap("callerEnv"),
                    f.stringMap("updateEnv"));
            case "stop" -> new Request.Stop(f.string("target"));
            case "restart" -> new Request.Restart(f.string("target"), f.stringMap("updateEnv"));
            case "reload" -> new Request.Reload(f.string("target"), f.stringMap("updateEnv"));
            case "delete" -> new Request.Delete(f.string("target"));
            case "scale" -> new Request.Scale(f.string("app"), f.integer("instances"));
            case "list" -> new Request.ListApps();
            case "describe" -> new Request.Describe(f.string("app"), f.bool("showSecrets"));
            case "logs" -> new Request.Logs(f.string("target"), f.integer("lines"), f.bool("follow"),
                    f.enumValue("stream", Request.LogStream.class));
            case "shutdown" -> new Request.Shutdown(f.bool("keepWorkers"));
            case "events" -> new Request.Events(f.string("app"), f.integer("limit"), f.longValue("sinceMs"), f.bool("follow"));
            case "flush" -> new Request.Flush(f.string("target"));
            case "dashboard" -> new Request.Dashboard(f.bool("enable"));
            case "run" -> new Request.Run(f.strings("args"), f.string("cwd"), f.stringMap("env"), f.string("zone"),
                    f.bool("terminal"), f.bool("colour"), f.integer("width"), f.string("build"));
            default -> throw new Fields.Malformed("unknown request type '" + type + "' (known: "
                    + String.join(", ", TYPES.byName().keySet()) + ")");
        };
    }
}
