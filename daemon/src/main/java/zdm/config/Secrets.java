package zdm.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which environment variables hold secrets, judged by name alone (values are never inspected), and
 * the spec with their values masked: what {@code zdm describe} sends unless asked for secrets.
 */
public final class Secrets {
    /** A name containing one of these (in any case) is a secret: API_TOKEN, db_password, AWS_SECRET_ACCESS_KEY. */
    public static final List<String> MARKERS = List.of("TOKEN", "SECRET", "PASSWORD", "KEY", "PASS", "CREDENTIAL");
    public static final String MASK = "********";

    private Secrets() {}

    public static boolean looksSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return MARKERS.stream().anyMatch(upper::contains);
    }

    /** The spec with every secret-looking value of its whole env (the caller's included) replaced by {@link #MASK}. */
    public static AppSpec masked(AppSpec spec) {
        var env = new TreeMap<String, String>();
        for (Map.Entry<String, String> e : spec.process().fullEnv().entrySet()) {
            env.put(e.getKey(), looksSecret(e.getKey()) ? MASK : e.getValue());
        }
        return spec.toBuilder().env(env).callerEnv(Map.of()).build();
    }
}
