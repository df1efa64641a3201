package zdm.cli.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import zdm.config.AppSpec;
import zdm.config.Readiness;
import zdm.net.ProxyProtocol;

/**
 * One app as Kubernetes objects: a Deployment (replicas, a rolling update that never lowers
 * capacity, the readiness probe, the grace period, command, env, port) and, for an app with a port,
 * a Service. Built as Jackson trees and written by Jackson YAML, never by string templates. The
 * mapping and what does not carry over are in docs/export.md. Stateless.
 */
public final class KubernetesExport {
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS) // env values must stay strings: "3000"
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private KubernetesExport() {}

    /** The objects of one app: the Deployment, then the Service when it has a port. */
    public static List<ObjectNode> objects(AppSpec app, String image) {
        var out = new ArrayList<ObjectNode>();
        out.add(deployment(app, image));
        if (app.network().port() != null) out.add(service(app));
        return out;
    }

    /** YAML documents separated by {@code ---}. */
    public static String yaml(List<? extends JsonNode> docs) {
        var out = new StringBuilder();
        for (var d : docs) {
            try {
                out.append("---\n").append(YAML.writeValueAsString(d));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot write YAML: " + e.getMessage(), e); // a tree always serialises
            }
        }
        return out.toString();
    }

    /**
     * A valid Kubernetes object name (RFC 1123 label: lower case letters, digits and '-', at most 63):
     * zdm names may have upper case, '.' and '_'.
     */
    public static String objectName(String app) {
        String n = app.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (n.length() > 63) n = n.substring(0, 63).replaceAll("-+$", "");
        return n.isEmpty() ? "app" : n;
    }

    /** Words of a command that expect the listening socket as an inherited descriptor, which a pod does not have. */
    private static final java.util.regex.Pattern INHERITED_FD = java.util.regex.Pattern.compile("(--fd(=|$)|fd://\\d+)");

    /** What does not carry over to a pod and must be changed by hand. */
    public static List<String> warnings(AppSpec app) {
        var out = new ArrayList<String>();
        var fdWord = app.process().command().stream().filter(w -> INHERITED_FD.matcher(w).find()).findFirst();
        if (fdWord.isPresent()) {
            out.add(app.name() + ": its command takes the listening socket as an inherited descriptor (" + fdWord.get()
                    + "), which a pod does not get; make it listen on $PORT (e.g. uvicorn --port $PORT,"
                    + " gunicorn --bind 0.0.0.0:$PORT) before deploying");
        } else if (app.network().socketMode()) {
            out.add(app.name() + ": listen: socket: in a pod nothing hands the app a socket (no LISTEN_FDS, no stdin socket);"
                    + " it must listen on $PORT itself");
        }
        return out;
    }

    static ObjectNode deployment(AppSpec app, String image) {
        String name = objectName(app.name());
        var d = F.objectNode();
        d.put("apiVersion", "apps/v1");
        d.put("kind", "Deployment");
        d.set("metadata", metadata(app));
        var spec = d.putObject("spec");
        spec.put("replicas", app.instances());
        spec.putObject("selector").putObject("matchLabels").put(NAME_LABEL, name);
        var strategy = spec.putObject("strategy");
        strategy.put("type", "RollingUpdate");
        var rolling = strategy.putObject("rollingUpdate");
        rolling.put("maxUnavailable", 0); // as zdm's reload: a new pod is ready before an old one goes
        rolling.put("maxSurge", app.reload().reloadParallel());
        long minReady = minReadySeconds(app);
        if (minReady > 0) spec.put("minReadySeconds", minReady);
        var template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put(NAME_LABEL, name);
        var pod = template.putObject("spec");
        pod.put("terminationGracePeriodSeconds", ceilSeconds(app.process().killTimeoutMs()));
        pod.putArray("containers").add(container(app, image));
        return d;
    }

    private static ObjectNode container(AppSpec app, String image) {
        var c = F.objectNode();
        c.put("name", objectName(app.name()));
        c.put("image", image);
        c.putArray("command").add(app.process().command().getFirst());
        if (app.process().command().size() > 1) {
            var args = c.putArray("args");
            app.process().command().subList(1, app.process().command().size()).forEach(args::add);
        }
        c.put("workingDir", app.process().cwd());
        var env = new TreeMap<>(app.process().env());
        env.put("ZDM_APP", app.name());
        Integer port = app.network().port();
        if (port != null) env.put("PORT", Integer.toString(port)); // the pod listens on the port itself
        ArrayNode list = c.putArray("env");
        env.forEach((k, v) -> list.addObject().put("name", k).put("value", v));
        if (port != null) {
            c.putArray("ports").addObject().put("name", portName(app)).put("containerPort", port).put("protocol", "TCP");
        }
        var probe = readinessProbe(app);
        if (probe != null) c.set("readinessProbe", probe);
        var liveness = livenessProbe(app);
        if (liveness != null) c.set("livenessProbe", liveness);
        if (app.restart().maxMemoryBytes() > 0) {
            c.putObject("resources").putObject("limits").put("memory", Long.toString(app.restart().maxMemoryBytes()));
        }
        return c;
    }

    /** tcp → tcpSocket, http → httpGet; delay with a port → tcpSocket after the delay; log/notify/uptime with a port → tcpSocket; without a port: none (see minReadySeconds). */
    static ObjectNode readinessProbe(AppSpec app) {
        if (app.network().port() == null) return null;
        var p = F.objectNode();
        switch (app.health().ready()) {
            case Readiness.Tcp t -> p.putObject("tcpSocket").put("port", app.network().port());
            case Readiness.Http h -> p.putObject("httpGet").put("path", h.path()).put("port", app.network().port());
            case Readiness.Delay d -> {
                p.putObject("tcpSocket").put("port", app.network().port());
                p.put("initialDelaySeconds", ceilSeconds(d.ms()));
            }
            case Readiness.Log l -> p.putObject("tcpSocket").put("port", app.network().port());
            case Readiness.Notify n -> p.putObject("tcpSocket").put("port", app.network().port());
            case Readiness.Message m -> p.putObject("tcpSocket").put("port", app.network().port());
            case Readiness.Listening l -> p.putObject("tcpSocket").put("port", app.network().port());
            case Readiness.Uptime u -> p.putObject("tcpSocket").put("port", app.network().port());
        }
        p.put("periodSeconds", 2);
        p.put("failureThreshold", Math.max(1, ceilSeconds(app.health().listenTimeoutMs()) / 2));
        return p;
    }

    /**
     * liveness_* → an httpGet probe of the same path zdm asks (the ready: {http} path, else /), as
     * often, as patient and as many times, after listen_timeout. Kubernetes fails on a status of 400 or more where zdm
     * takes any answer (docs/export.md says so). None when the app has no liveness probe.
     */
    static ObjectNode livenessProbe(AppSpec app) {
        if (app.health().livenessIntervalMs() <= 0 || app.network().port() == null) return null;
        var p = F.objectNode();
        String path = app.health().ready() instanceof Readiness.Http h ? h.path() : "/";
        p.putObject("httpGet").put("path", path).put("port", app.network().port());
        // zdm probes only online workers; Kubernetes from the container's start: wait out the readiness deadline.
        p.put("initialDelaySeconds", ceilSeconds(app.health().listenTimeoutMs()));
        p.put("periodSeconds", ceilSeconds(app.health().livenessIntervalMs()));
        p.put("timeoutSeconds", ceilSeconds(app.health().livenessTimeoutMs()));
        p.put("failureThreshold", app.health().livenessFailures());
        return p;
    }

    /**
     * How long a new pod must stay ready before an old one goes: zdm's min_ready_time, plus, for readiness kinds that
     * Kubernetes cannot probe (uptime, delay, and log/notify without a port), the time zdm waits for them.
     */
    static long minReadySeconds(AppSpec app) {
        return ceilSeconds(app.reload().minReadyMs()) + readinessWaitSeconds(app);
    }

    private static long readinessWaitSeconds(AppSpec app) {
        return switch (app.health().ready()) {
            case Readiness.Uptime u -> ceilSeconds(app.restart().minUptimeMs());
            case Readiness.Delay d -> app.network().port() == null ? ceilSeconds(d.ms()) : 0;
            case Readiness.Log l -> app.network().port() == null ? ceilSeconds(app.restart().minUptimeMs()) : 0;
            case Readiness.Notify n -> app.network().port() == null ? ceilSeconds(app.restart().minUptimeMs()) : 0;
            case Readiness.Message m -> app.network().port() == null ? ceilSeconds(app.restart().minUptimeMs()) : 0;
            case Readiness.Listening l -> 0;
            case Readiness.Tcp t -> 0;
            case Readiness.Http h -> 0;
        };
    }

    static ObjectNode service(AppSpec app) {
        var s = F.objectNode();
        s.put("apiVersion", "v1");
        s.put("kind", "Service");
        s.set("metadata", metadata(app));
        var spec = s.putObject("spec");
        spec.putObject("selector").put(NAME_LABEL, objectName(app.name()));
        spec.putArray("ports").addObject().put("name", portName(app)).put("port", app.network().port())
                .put("targetPort", app.network().port()).put("protocol", "TCP");
        return s;
    }

    private static ObjectNode metadata(AppSpec app) {
        var m = F.objectNode();
        m.put("name", objectName(app.name()));
        var labels = m.putObject("labels");
        labels.put(NAME_LABEL, objectName(app.name()));
        labels.put("app.kubernetes.io/managed-by", "zdm-export");
        m.putObject("annotations").put("zdm.dev/source", app.source());
        return m;
    }

    private static String portName(AppSpec app) {
        return app.network().protocol() == ProxyProtocol.HTTP || app.health().ready() instanceof Readiness.Http ? "http" : "tcp";
    }

    static int ceilSeconds(long ms) {
        return (int) Math.min(Integer.MAX_VALUE, (ms + 999) / 1000);
    }
}
