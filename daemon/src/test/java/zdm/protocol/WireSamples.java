package zdm.protocol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** At least one message of every request and response type, with every kind of value a field can hold. */
final class WireSamples {
    private WireSamples() {}

    /** Text a JSON writer must escape, and text it must not (non-ASCII is written as UTF-8). */
    static final String ODD = "quote \" backslash \\ tab \t newline \n nul \u0000 del \u007f é ✓ 😀 </script>";

    static Map<String, String> env() {
        var env = new LinkedHashMap<String, String>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("ODD", ODD);
        env.put("EMPTY", "");
        env.put("NULL", null);
        return env;
    }

    /** An inline app's keys as the CLI builds them: nested maps and lists, ints, longs, doubles, booleans, nulls. */
    static Map<String, Object> app() {
        var app = new LinkedHashMap<String, Object>();
        app.put("name", "web");
        app.put("script", "/srv/app/server.js");
        app.put("args", new ArrayList<>(List.of("--port", "8080", ODD)));
        app.put("instances", 4);
        app.put("port", 8080);
        app.put("big", 1L << 40);
        app.put("huge", new BigInteger("123456789012345678901234567890"));
        app.put("ratio", 0.25);
        app.put("watch", true);
        app.put("nothing", null);
        var nested = new LinkedHashMap<String, Object>();
        nested.put("list", new ArrayList<>(Arrays.asList(1, "two", null, false, List.of(3.5))));
        nested.put("empty", new LinkedHashMap<>());
        app.put("env", nested);
        return app;
    }

    static List<Request> requests() {
        return List.of(
                new Request.Ping(),
                new Request.StartFile("/srv/ecosystem.yaml", "production", true, env(), true),
                new Request.StartFile("/srv/ecosystem.yaml"),
                new Request.StartInline(app(), "/srv/app"),
                new Request.StartApps("all", "staging", env(), env()),
                new Request.StartApps("web"),
                new Request.Stop("web"),
                new Request.Restart("all", env()),
                new Request.Restart("web"),
                new Request.Reload("web", Map.of()),
                new Request.Reload("all"),
                new Request.Delete(ODD),
                new Request.Scale("web", -3),
                new Request.Scale("web", Integer.MAX_VALUE),
                new Request.ListApps(),
                new Request.Describe("web", true),
                new Request.Describe("web"),
                new Request.Logs("all", 200, true, Request.LogStream.ERR),
                new Request.Logs("web", 0, false),
                new Request.Shutdown(true),
                new Request.Shutdown(),
                new Request.Events(null, 100, Long.MAX_VALUE, true),
                new Request.Events("web", 0, 0, false),
                new Request.Flush("all"),
                new Request.Dashboard(true),
                new Request.Run(List.of("logs", "web", "-n", "20", ODD), "/srv/app", env(), "Europe/Paris", true, false, 132,
                        "0.1.0 2026-12-07T07:00:00Z"),
                new Request.Run(List.of(), "/", Map.of(), "UTC", false, false, 0, ""));
    }

    static WorkerView worker(int id) {
        return new WorkerView(id, WorkerView.State.values()[id % WorkerView.State.values().length], 12345L + id, 3, 5000, 0.1 + id, 12_897_485L * id, id == 0 ? null : "code 1",
                id == 1 ? ODD : null);
    }

    static AppView app(String name, Integer port, int workers) {
        var list = new ArrayList<WorkerView>();
        for (int i = 0; i < workers; i++) list.add(worker(i));
        return new AppView(name, AppView.Status.values()[workers % AppView.Status.values().length],
                workers == 0 ? AppView.Desired.STOPPED : AppView.Desired.RUNNING, workers, port, list);
    }

    static EventView event(long id) {
        return new EventView(1_765_000_000_000L + id, id == 0 ? null : "web", id == 0 ? null : (int) id, "exited", ODD,
                id == 2 ? 1000 : null, id);
    }

    static SpecView spec(boolean full) {
        return new SpecView("/srv/ecosystem.yaml", List.of("node", "server.js", ODD), "/srv/app", 2, full ? 8080 : null,
                "proxy", "SIGTERM", full, 1600, 8000, true, 100, 15000, 16, 1000, 0, full ? List.of(0, 143) : List.of(),
                full ? 512L << 20 : 0, true, full ? "0 3 * * *" : null, full ? 1_765_000_000_000L : null,
                full ? List.of("src", "lib") : List.of(), full ? List.of("node_modules") : List.of(), 1000,
                full ? Map.of("PORT", "8080", "ODD", ODD) : Map.of(), full,
                full ? new SpecView.LogFilesView("/var/log/out.log", null, "", true, "YYYY-MM-DD HH:mm Z") : null,
                10L << 20, 5);
    }

    static List<Response> responses() {
        return List.of(
                new Response.Pong("0.1.0", Wire.PROTOCOL_VERSION, 4242, 123_456_789_012L, "/home/u/.zdm"),
                new Response.Progress(ODD),
                new Response.Apps(List.of(app("web", 8080, 2), app("api", null, 0), app(ODD, 1, 3)), "started"),
                new Response.Apps(List.of(), null),
                new Response.Described(new AppDetail(app("web", 8080, 2), spec(true), "/o.log", "/e.log",
                        List.of(event(0), event(1), event(2)))),
                new Response.Described(new AppDetail(app("api", null, 1), spec(false), null, null, List.of())),
                new Response.LogLine("2026-12-07T07:00:00Z web[0] " + ODD, true),
                new Response.LogLine("", false),
                new Response.Done("stopped web"),
                new Response.Done(null),
                new Response.Failed(ErrorKind.INVALID_CONFIG, "ecosystem.yaml: 2 errors", List.of("line 3: x", ODD)),
                Response.Failed.of(ErrorKind.NOT_FOUND, "no app 'x'"),
                new Response.Event(event(1)),
                new Response.Output(ODD + "\n", false),
                new Response.Output("zdm: error\n", true),
                new Response.Follows(),
                new Response.Exit(0),
                new Response.Exit(-1),
                new Response.RunHere(null),
                new Response.RunHere("the running daemon is of another build"));
    }
}
