package zdm.config;

import java.util.LinkedHashMap;
import java.util.List;
import zdm.config.Node.Entry;
import zdm.config.Node.Mapping;
import zdm.config.Node.Scalar;

/**
 * pm2's per-app habits that depend on the environment chosen with {@code --env}: {@code env.PORT} read as
 * {@code port:}, and {@code append_env_to_name}. Apart from {@link Pm2Compat} because they run later, on each app
 * after {@link EnvBlocks} has merged its {@code env_<name>} block. Stateless.
 */
final class Pm2EnvHabits {
    private Pm2EnvHabits() {}

    /**
     * pm2's {@code env: {PORT: 3000}} (every pm2 cluster app's habit) is the port the app serves on:
     * zdm's {@code port:}, owned by the daemon, which gives each worker its own PORT. Applied after the
     * env_&lt;name&gt; block is merged, so {@code env_production: {PORT: 80}} counts.
     */
    static Node portFromEnv(Node node, String prefix, String file, List<String> warnings) {
        if (!(node instanceof Mapping app) || !(app.entries().get("env") instanceof Entry env)
                || !(env.value() instanceof Mapping vars) || !(vars.entries().get("PORT") instanceof Entry port)) {
            return node;
        }
        String path = file + ": " + prefix + ".env.PORT: ";
        var out = new LinkedHashMap<String, Entry>(app.entries());
        if (app.entries().containsKey("port")) {
            warnings.add(path + "ignored; port: is set, and zdm gives each worker its own PORT");
        } else if (port.value() instanceof Scalar s && s.text() != null && s.text().matches("\\d{1,5}")) {
            long n = Long.parseLong(s.text());
            warnings.add(path + "read as port: " + n + " (the daemon owns the port and shares it among the workers)");
            out.put("port", new Entry("port", port.keyPos(), new Scalar(n, s.text(), s.pos())));
            // pm2's increment_var: PORT gives worker i the port n + i; here every worker serves n, so it has nothing to count.
            if (out.get("increment_var") instanceof Entry inc && inc.value() instanceof Scalar v && "PORT".equals(v.value())) {
                warnings.add(file + ": " + prefix + ".increment_var: ignored; every worker serves port " + n
                        + " (env.PORT read as port:), so no worker needs a port of its own");
                out.remove("increment_var");
            }
        } else {
            return node; // not a port number: passed to the app as it is (validated as env)
        }
        var rest = new LinkedHashMap<>(vars.entries());
        rest.remove("PORT");
        out.put("env", new Entry("env", env.keyPos(), new Mapping(rest, vars.pos())));
        return new Mapping(out, app.pos());
    }

    /**
     * pm2's {@code append_env_to_name} (also {@code appendEnvToName}): with {@code --env NAME}, the app is named
     * {@code <name>-NAME}, so one file runs once per environment side by side; without --env the name stays.
     */
    static Node envInName(Node node, String env) {
        if (!(node instanceof Mapping app)) return node;
        var out = new LinkedHashMap<String, Entry>(app.entries());
        var flag = out.remove("append_env_to_name");
        var camel = out.remove("appendEnvToName");
        if (flag == null) flag = camel;
        if (flag == null) return node;
        if (env != null && flag.value() instanceof Scalar on && Boolean.TRUE.equals(on.value())
                && out.get("name") instanceof Entry name && name.value() instanceof Scalar n && n.value() instanceof String text) {
            out.put("name", new Entry("name", name.keyPos(), new Scalar(text + "-" + env, text + "-" + env, n.pos())));
        }
        return new Mapping(out, app.pos());
    }
}
