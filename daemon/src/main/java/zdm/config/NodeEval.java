package zdm.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a pm2 {@code ecosystem.config.js} the only faithful way: {@code node -e} requires it and
 * prints {@code module.exports} as JSON. No shell is involved; node runs in the file's directory
 * with stdin from /dev/null and is killed after {@link #TIMEOUT_SECONDS}.
 */
final class NodeEval {
    static final int TIMEOUT_SECONDS = 10;
    /**
     * Functions are dropped by JSON.stringify; an ES module's default export is used. Whatever the
     * file itself prints (console.log) goes to stderr, so stdout carries only the JSON.
     */
    private static final String PRINT = "const out = process.stdout.write.bind(process.stdout);"
            + " process.stdout.write = process.stderr.write.bind(process.stderr);"
            + " let m = require(process.argv[1]);"
            + " if (m && m.__esModule && m.default) m = m.default;"
            + " out(JSON.stringify(m === undefined ? null : m));";
    /** A .json / .json5 file, read as pm2 reads it: evaluated as one JavaScript expression. */
    private static final String PRINT_EXPRESSION = "const out = process.stdout.write.bind(process.stdout);"
            + " process.stdout.write = process.stderr.write.bind(process.stderr);"
            + " const f = process.argv[1];"
            + " const m = require('vm').runInThisContext('(' + require('fs').readFileSync(f, 'utf8') + ')', {filename: f});"
            + " out(JSON.stringify(m === undefined ? null : m));";

    /** Why the file could not be turned into JSON; the message is one line. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private NodeEval() {}

    static byte[] json(Path file) throws Failure {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String script = name.endsWith(".json") || name.endsWith(".json5") ? PRINT_EXPRESSION : PRINT;
        var pb = new ProcessBuilder(List.of("node", "-e", script, file.toString()))
                .directory(file.getParent().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new Failure("reading a .js ecosystem file needs node, which is not installed (or not on PATH);"
                    + " install node, or write the file as ecosystem.json or YAML");
        }
        try {
            var stderr = new java.util.concurrent.atomic.AtomicReference<byte[]>(new byte[0]);
            var err = Thread.ofVirtual().start(() -> {
                try {
                    stderr.set(p.getErrorStream().readNBytes(64 * 1024));
                    p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream()); // never let node block on it
                } catch (IOException ignored) {
                    // the exit code says enough
                }
            });
            byte[] out = p.getInputStream().readNBytes(EcosystemLoader.MAX_FILE_BYTES + 1);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Failure("node did not finish loading it within " + TIMEOUT_SECONDS + " s");
            }
            err.join(1000);
            if (p.exitValue() != 0) {
                throw new Failure("node could not load it: " + firstError(new String(stderr.get(), StandardCharsets.UTF_8)));
            }
            if (out.length > EcosystemLoader.MAX_FILE_BYTES) throw new Failure("its JSON form is larger than 1 MiB");
            return out;
        } catch (IOException e) {
            p.destroyForcibly();
            throw new Failure("cannot read node's output: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while node was loading it");
        }
    }

    /** node prints the source line and a caret before "SyntaxError: ..."; the error line is what helps. */
    private static String firstError(String stderr) {
        var lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.stream().filter(l -> l.matches("^[A-Za-z]*Error\\b.*|^Error:.*")).findFirst()
                .orElse(lines.isEmpty() ? "exit code non-zero, nothing on stderr" : lines.getFirst());
    }
}
