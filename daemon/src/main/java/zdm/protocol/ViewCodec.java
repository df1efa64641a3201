package zdm.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** The views inside responses ({@link AppView}, {@link AppDetail}, ...), each its components in order. Stateless. */
final class ViewCodec {
    private ViewCodec() {}

    static void app(JsonGenerator g, AppView a) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", a.name());
        JsonOut.wireName(g, "status", a.status());
        JsonOut.wireName(g, "desired", a.desired());
        g.writeNumberField("instances", a.instances());
        JsonOut.integer(g, "port", a.port());
        g.writeStringField("listen", a.listen());
        g.writeArrayFieldStart("workers");
        for (WorkerView w : a.workers()) worker(g, w);
        g.writeEndArray();
        g.writeEndObject();
    }

    static AppView app(Fields f) {
        return new AppView(f.string("name"), f.wireName("status", AppView.Status.class),
                f.wireName("desired", AppView.Desired.class), f.integer("instances"),
                f.boxedInteger("port"), f.string("listen"), f.objects("workers", ViewCodec::worker));
    }

    static void worker(JsonGenerator g, WorkerView w) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", w.id());
        JsonOut.wireName(g, "state", w.state());
        g.writeNumberField("pid", w.pid());
        g.writeNumberField("restarts", w.restarts());
        g.writeNumberField("uptimeMs", w.uptimeMs());
        g.writeNumberField("cpuPercent", w.cpuPercent());
        g.writeNumberField("memoryBytes", w.memoryBytes());
        g.writeStringField("lastExit", w.lastExit());
        g.writeStringField("status", w.status());
        g.writeEndObject();
    }

    static WorkerView worker(Fields f) {
        return new WorkerView(f.integer("id"), f.wireName("state", WorkerView.State.class), f.longValue("pid"), f.integer("restarts"),
                f.longValue("uptimeMs"), f.decimal("cpuPercent"), f.longValue("memoryBytes"), f.string("lastExit"),
                f.string("status"));
    }

    static void event(JsonGenerator g, EventView e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("timeMs", e.timeMs());
        g.writeStringField("app", e.app());
        JsonOut.integer(g, "worker", e.worker());
        g.writeStringField("kind", e.kind());
        g.writeStringField("detail", e.detail());
        JsonOut.integer(g, "uid", e.uid());
        g.writeNumberField("id", e.id());
        g.writeEndObject();
    }

    static EventView event(Fields f) {
        return new EventView(f.longValue("timeMs"), f.string("app"), f.boxedInteger("worker"), f.string("kind"),
                f.string("detail"), f.boxedInteger("uid"), f.longValue("id"));
    }

    static void detail(JsonGenerator g, AppDetail d) throws IOException {
        if (d == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeFieldName("view");
        if (d.view() == null) g.writeNull();
        else app(g, d.view());
        g.writeFieldName("spec");
        spec(g, d.spec());
        g.writeStringField("outLog", d.outLog());
        g.writeStringField("errLog", d.errLog());
        g.writeArrayFieldStart("events");
        for (EventView e : d.events()) event(g, e);
        g.writeEndArray();
        g.writeEndObject();
    }

    static AppDetail detail(Fields f) {
        return new AppDetail(f.object("view", ViewCodec::app), f.object("spec", ViewCodec::spec), f.string("outLog"),
                f.string("errLog"), f.objects("events", ViewCodec::event));
    }

    private static void spec(JsonGenerator g, SpecView s) throws IOException {
        if (s == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("source", s.source());
        JsonOut.strings(g, "command", s.command());
        g.writeStringField("cwd", s.cwd());
        g.writeNumberField("instances", s.instances());
        JsonOut.integer(g, "port", s.port());
        g.writeStringField("listen", s.listen());
        g.writeStringField("stopSignal", s.stopSignal());
        g.writeBooleanField("shutdownWithMessage", s.shutdownWithMessage());
        g.writeNumberField("killTimeoutMs", s.killTimeoutMs());
        g.writeNumberField("listenTimeoutMs", s.listenTimeoutMs());
        g.writeBooleanField("autorestart", s.autorestart());
        g.writeNumberField("restartDelayMs", s.restartDelayMs());
        g.writeNumberField("restartDelayMaxMs", s.restartDelayMaxMs());
        g.writeNumberField("maxRestarts", s.maxRestarts());
        g.writeNumberField("minUptimeMs", s.minUptimeMs());
        g.writeNumberField("minReadyMs", s.minReadyMs());
        JsonOut.any(g, "stopExitCodes", s.stopExitCodes());
        g.writeNumberField("maxMemoryBytes", s.maxMemoryBytes());
        g.writeBooleanField("autostart", s.autostart());
        g.writeStringField("cronRestart", s.cronRestart());
        JsonOut.longValue(g, "cronNextMs", s.cronNextMs());
        JsonOut.strings(g, "watch", s.watch());
        JsonOut.strings(g, "ignoreWatch", s.ignoreWatch());
        g.writeNumberField("watchDelayMs", s.watchDelayMs());
        JsonOut.any(g, "env", s.env());
        g.writeBooleanField("envMasked", s.envMasked());
        g.writeFieldName("logFiles");
        logFiles(g, s.logFiles());
        g.writeNumberField("logMaxBytes", s.logMaxBytes());
        g.writeNumberField("logMaxFiles", s.logMaxFiles());
        g.writeEndObject();
    }

    private static SpecView spec(Fields f) {
        return new SpecView(f.string("source"), f.strings("command"), f.string("cwd"), f.integer("instances"),
                f.boxedInteger("port"), f.string("listen"), f.string("stopSignal"), f.bool("shutdownWithMessage"),
                f.longValue("killTimeoutMs"), f.longValue("listenTimeoutMs"), f.bool("autorestart"),
                f.longValue("restartDelayMs"), f.longValue("restartDelayMaxMs"), f.integer("maxRestarts"),
                f.longValue("minUptimeMs"), f.longValue("minReadyMs"), f.integers("stopExitCodes"),
                f.longValue("maxMemoryBytes"), f.bool("autostart"), f.string("cronRestart"), f.boxedLong("cronNextMs"),
                f.strings("watch"), f.strings("ignoreWatch"), f.longValue("watchDelayMs"), f.stringMap("env"),
                f.bool("envMasked"), f.object("logFiles", ViewCodec::logFiles), f.longValue("logMaxBytes"),
                f.integer("logMaxFiles"));
    }

    private static void logFiles(JsonGenerator g, SpecView.LogFilesView l) throws IOException {
        if (l == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("out", l.out());
        g.writeStringField("err", l.err());
        g.writeStringField("combined", l.combined());
        g.writeBooleanField("merge", l.merge());
        g.writeStringField("dateFormat", l.dateFormat());
        g.writeEndObject();
    }

    private static SpecView.LogFilesView logFiles(Fields f) {
        return new SpecView.LogFilesView(f.string("out"), f.string("err"), f.string("combined"), f.bool("merge"),
                f.string("dateFormat"));
    }
}
