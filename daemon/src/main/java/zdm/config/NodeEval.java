package zdm.config;

import zdm.proc.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a pm2 {@code ecosystem.config.js} the only faithful way: {@code node -e} requires it and
 * prints {@code module.exports} as JSON. No shell is involved; node runs in the file's directory
 * with stdin from /dev/null, in the environment of the {@code zdm} command that asked (as pm2's CLI evaluates it
 * in its own), and is killed after {@link #TIMEOUT_SECONDS}.
 */
final class NodeEval {
    static final int TIMEOUT_SECONDS = 10;
    private static final String MARK = "ZDM_CONFIG_EVAL";
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

    /** @param callerEnv the environment node runs with (the asking {@code zdm} command's); null: this process's */
    static byte[] json(Path file, java.util.Map<String, String> callerEnv) throws Failure {
        return json(file, callerEnv, TIMEOUT_SECONDS);
    }

    /**
     * @param timeoutSeconds how long node, and after it what it started that holds its output, may take in all:
     *     {@link #TIMEOUT_SECONDS}, or less where a test waits for the bound on purpose
     */
    static byte[] json(Path file, java.util.Map<String, String> callerEnv, int timeoutSeconds) throws Failure {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String script = name.endsWith(".json") || name.endsWith(".json5") ? PRINT_EXPRESSION : PRINT;
        var pb = new ProcessBuilder(List.of(node(callerEnv), "-e", script, file.toString()))
                .directory(file.getParent().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // Marks node and everything it starts, detached children included, to kill them all after the deadline.
        String mark = java.util.UUID.randomUUID().toString();
        if (callerEnv != null) {
            pb.environment().clear();
            pb.environment().putAll(callerEnv);
        }
        pb.environment().put(MARK, mark);
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
            // Read on a thread of its own: node (or a child it started) may keep stdout open forever.
            var stdout = new java.util.concurrent.atomic.AtomicReference<byte[]>();
            var reader = Thread.ofVirtual().start(() -> {
                try {
                    stdout.set(p.getInputStream().readNBytes(EcosystemLoader.MAX_FILE_BYTES + 1));
                } catch (IOException ignored) {
                    // closed under us after the deadline
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            if (!p.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                killAll(p, mark);
                throw new Failure("node did not finish loading it within " + timeoutSeconds + " s (a timer, a server or"
                        + " another open handle at its top level keeps node running); it was killed");
            }
            if (!reader.join(java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                killAll(p, mark);
                throw new Failure("node exited, but a process it started still held its output " + timeoutSeconds
                        + " s later (a detached child?); it was killed");
            }
            byte[] out = stdout.get() == null ? new byte[0] : stdout.get();
            err.join(1000);
            if (p.exitValue() != 0) {
                throw new Failure("node could not load it: " + firstError(new String(stderr.get(), StandardCharsets.UTF_8)));
            }
            if (out.length > EcosystemLoader.MAX_FILE_BYTES) throw new Failure("its JSON form is larger than 1 MiB");
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while node was loading it");
        }
    }

    /** The node on the caller's PATH (an nvm user's), else whichever the daemon's PATH finds. */
    private static String node(java.util.Map<String, String> callerEnv) {
        String path = callerEnv == null ? null : callerEnv.get("PATH");
        if (path == null) return "node";
        for (String dir : path.split(":")) {
            if (!dir.startsWith("/")) continue; // a relative entry would depend on the daemon's cwd
            try {
                Path candidate = Path.of(dir, "node");
                if (java.nio.file.Files.isRegularFile(candidate) && java.nio.file.Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            } catch (java.nio.file.InvalidPathException ignored) {
                // not a directory name
            }
        }
        return "node";
    }

    /**
     * Kills node and every process that carries its mark (found in /proc/PID/environ: a child that left
     * node's process group, or outlived node, still carries it), then closes node's pipes.
     */
    private static void killAll(Process p, String mark) {
        p.destroyForcibly();
        byte[] wanted = (MARK + "=" + mark).getBytes(StandardCharsets.UTF_8);
        try (var procs = java.nio.file.Files.list(Path.of("/proc"))) {
            for (var dir : procs.toList()) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    byte[] env = java.nio.file.Files.readAllBytes(dir.resolve("environ"));
                    if (contains(env, wanted)) zdm.proc.Posix.kill(Long.parseLong(name), zdm.proc.Signal.SIGKILL);
                } catch (IOException | RuntimeException ignored) {
                    // gone meanwhile, or not ours
                }
            }
        } catch (IOException ignored) {
            // no /proc: node itself is killed all the same
        }
        try {
            p.getInputStream().close();
            p.getErrorStream().close();
        } catch (IOException ignored) {
            // the readers end either way
        }
    }

    /** Whether {@code entry} is one whole entry of {@code env}, a /proc/PID/environ: entries are NUL-separated. */
    static boolean contains(byte[] env, byte[] entry) {
        outer:
        for (int i = 0; i + entry.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) continue; // entries start after a NUL
            for (int j = 0; j < entry.length; j++) if (env[i + j] != entry[j]) continue outer;
            if (i + entry.length == env.length || env[i + entry.length] == 0) return true;
        }
        return false;
    }

    /** node prints the source line and a caret before "SyntaxError: ..."; the error line is what helps. */
    private static String firstError(String stderr) {
        var lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.stream().filter(l -> l.matches("^[A-Za-z]*Error\\b.*|^Error:.*")).findFirst()
                .orElse(lines.isEmpty() ? "exit code non-zero, nothing on stderr" : lines.getFirst());
    }
}
