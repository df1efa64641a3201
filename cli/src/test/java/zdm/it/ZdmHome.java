package zdm.it;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import zdm.protocol.AppView;
import zdm.protocol.Paths;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/**
 * A throwaway zdm home for one test: a short temp directory (socket paths are limited to 107 bytes),
 * the real CLI run as a child JVM with {@code ZDM_HOME} pointing there, and a direct protocol
 * client for assertions. Every worker started from this home carries a unique {@code ZDM_TEST_TAG}
 * in its environment, so a test can count its live processes in /proc without seeing anyone else's.
 */
public final class ZdmHome implements AutoCloseable {
    public final Path home;
    public final Path dir;
    public final String tag = "zdmtest-" + UUID.randomUUID();
    /** Extra environment for every zdm command (and so for a daemon it auto-starts). */
    public final Map<String, String> env = new java.util.HashMap<>();

    public ZdmHome() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "zdm-it-");
        home = dir.resolve("h");
    }

    public Paths paths() {
        return new Paths(home);
    }

    /** Runs {@code zdm args...}; bounded by 90 s. */
    public CliResult zdm(String... args) {
        return zdmWithin(Duration.ofSeconds(90), args);
    }

    /** Runs {@code zdm args...}, bounded by {@code limit} (a reload of slow-starting workers on a busy machine). */
    public CliResult zdmWithin(Duration limit, String... args) {
        try {
            var pb = new ProcessBuilder(zdmCommand(args)).directory(dir.toFile());
            pb.environment().putAll(zdmEnv());
            var out = dir.resolve("cli-" + UUID.randomUUID() + ".out");
            var err = dir.resolve("cli-" + UUID.randomUUID() + ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            var p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("zdm " + String.join(" ", args) + " did not finish in " + limit.toSeconds() + " s");
            }
            return new CliResult(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The command line of the real CLI (a child JVM on the test classpath) with {@code args}. */
    public List<String> zdmCommand(String... args) {
        var cmd = new ArrayList<String>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("zdm.cli.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The environment {@link #zdm} gives the CLI: this home, no colors, and {@link #env}. */
    public Map<String, String> zdmEnv() {
        var all = new java.util.LinkedHashMap<String, String>();
        all.put("ZDM_HOME", home.toString());
        all.put("NO_COLOR", "1");
        all.putAll(env);
        return all;
    }

    /**
     * Starts {@code zdm args...} without waiting (e.g. {@code daemon} or {@code run}), with this home
     * and {@code extraEnv}; stdout and stderr go to the returned files. The caller ends the process.
     */
    public Background background(Map<String, String> extraEnv, String... args) throws IOException {
        var pb = new ProcessBuilder(zdmCommand(args)).directory(dir.toFile());
        pb.environment().putAll(zdmEnv());
        pb.environment().putAll(extraEnv);
        var out = dir.resolve("bg-" + UUID.randomUUID() + ".out");
        var err = dir.resolve("bg-" + UUID.randomUUID() + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new Background(pb.start(), out, err);
    }

    /** A zdm process started by {@link #background}. */
    public record Background(Process process, Path outFile, Path errFile) {
        public String out() {
            return read(outFile);
        }

        public String err() {
            return read(errFile);
        }

        private static String read(Path f) {
            try {
                return Files.readString(f);
            } catch (IOException e) {
                return "";
            }
        }
    }

    /** Like {@link #zdm} but fails the test unless the exit code is 0. */
    public CliResult ok(String... args) {
        var r = zdm(args);
        if (r.exitCode() != 0) throw new AssertionError("zdm " + String.join(" ", args) + " failed:\n" + r + "\ndaemon.log:\n" + daemonLog());
        return r;
    }

    /** Writes an ecosystem file in the test dir; every app gets the test tag in its env. */
    public Path ecosystem(String yaml) throws IOException {
        var f = dir.resolve("ecosystem.yaml");
        Files.writeString(f, yaml.replace("${TAG}", tag));
        return f;
    }

    /**
     * Writes an ecosystem file of {@code apps} apps named {@code prefix0, prefix1, ...}, each
     * {@code sleep 1000} x {@code instances} with the test tag, plus {@code readiness} (one YAML line,
     * e.g. {@code "ready: {delay: 50ms}"}): the many-cheap-workers file of the scale tests.
     */
    public Path ecosystemOfSleepers(String prefix, int apps, int instances, String readiness) throws IOException {
        var yaml = new StringBuilder("apps:\n");
        for (int i = 0; i < apps; i++) {
            yaml.append("  - name: ").append(prefix).append(i).append('\n')
                    .append("    command: [sleep, \"1000\"]\n")
                    .append("    instances: ").append(instances).append('\n')
                    .append("    ").append(readiness).append('\n')
                    .append("    env: { ZDM_TEST_TAG: ${TAG} }\n");
        }
        return ecosystem(yaml.toString());
    }

    /** Copies the test app {@code name} (from the test resources' apps/) into the test dir. */
    public Path testApp(String name) throws IOException {
        try {
            return Files.copy(Path.of(ZdmHome.class.getResource("/apps/" + name).toURI()), dir.resolve(name));
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    public Path file(String name, String content) throws IOException {
        var f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    /** A raw connection to the daemon's control socket (the caller frames, and closes it). */
    public SocketChannel connect() throws IOException {
        var ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(paths().socket()));
        return ch;
    }

    /** One request straight over the socket; returns the final response. */
    public Response request(Request r) {
        try (var ch = connect()) {
            Wire.send(ch, r);
            while (true) {
                var frame = Wire.readFrame(ch);
                if (frame == null) throw new AssertionError("daemon closed the connection");
                var resp = Wire.decodeResponse(frame);
                if (resp.isFinal()) return resp;
            }
        } catch (Exception e) {
            throw new AssertionError("request " + r + " failed: " + e, e);
        }
    }

    public List<AppView> apps() {
        return ((Response.Apps) request(new Request.ListApps())).apps();
    }

    public AppView app(String name) {
        return apps().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no app " + name + " in " + apps()));
    }

    public List<Long> pids(String app) {
        return app(app).workers().stream().map(w -> w.pid()).filter(p -> p > 0).toList();
    }

    /** Pids of live processes (any app) whose environment carries this test's tag. */
    public List<Long> taggedProcesses() {
        var found = new ArrayList<Long>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (var p : procs.toList()) {
                var name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    var env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
                    if (env.contains("ZDM_TEST_TAG=" + tag) && !isZombie(p)) found.add(Long.parseLong(name));
                } catch (IOException ignored) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    private static boolean isZombie(Path proc) throws IOException {
        var stat = Files.readString(proc.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    }

    public Optional<Long> daemonPid() {
        try {
            var s = Files.readString(paths().pidFile()).trim();
            long pid = Long.parseLong(s);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String daemonLog() {
        try {
            return Files.readString(paths().daemonLog());
        } catch (IOException e) {
            return "(no daemon.log)";
        }
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && !isZombieQuiet(pid);
    }

    private static boolean isZombieQuiet(long pid) {
        try {
            return isZombie(Path.of("/proc/" + pid));
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the daemon and, as a safety net, anything tagged with this test that survived. */
    @Override
    public void close() {
        if (daemonPid().isPresent()) zdm("kill");
        daemonPid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        for (long pid : taggedProcesses()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    public static Map<String, String> env(String... kv) {
        var m = new java.util.LinkedHashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    public static final Duration SHORT = Duration.ofSeconds(20);
}
