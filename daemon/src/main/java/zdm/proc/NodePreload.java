package zdm.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The Node.js module that lets an unmodified Node app run in {@code listen: socket} mode: put on
 * {@code NODE_OPTIONS=--require ...}, it turns {@code listen(PORT)} into a listen on the inherited
 * fd 3 and drains on the stop signal (see the module's header). It ships inside the daemon jar and
 * is written to {@code $ZDM_HOME/node/zdm-preload.js} (rewritten only when its content differs, by
 * an atomic rename, so a worker starting at that moment reads a whole file). Thread-safe.
 */
public final class NodePreload {
    static final String RESOURCE = "/zdm/node/zdm-preload.js";

    private NodePreload() {}

    /** Writes the module into the home if needed and returns its path. */
    public static synchronized Path install(Path home) throws IOException {
        byte[] content;
        try (InputStream in = NodePreload.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException("the daemon jar has no " + RESOURCE);
            content = in.readAllBytes();
        }
        Path dir = home.resolve("node");
        Path target = dir.resolve("zdm-preload.js");
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) return target;
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "zdm-preload", ".tmp");
        try {
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
