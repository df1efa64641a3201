package zdm.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The page's files, shipped in the jar (no build step, nothing from the network), read once. Immutable. */
final class StaticFiles {
    record File(String contentType, byte[] bytes) {}

    private static final Map<String, File> FILES = Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
            "/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"));

    private StaticFiles() {}

    /** The file served at {@code path}, or null. */
    static File find(String path) {
        return FILES.get(path);
    }

    private static File load(String name, String type) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("/zdm/dashboard/" + name)) {
            if (in == null) throw new IllegalStateException("zdm/dashboard/" + name + " is missing from the jar");
            return new File(type, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read zdm/dashboard/" + name + " from the jar", e);
        }
    }
}
