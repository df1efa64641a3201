package zdm.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Config fuzzing: valid sample files, mutated line by line, value by value and byte by byte, go to the
 * loader. Whatever it gets, it answers with a {@link LoadResult} (every error formatted on one line),
 * never throws and never hangs. The tries are modest so the suite stays fast; a failure is shrunk by
 * jqwik to a small reproducing file, printed with the seed to replay it.
 */
class EcosystemFuzzTest {
    static final Duration PER_TRY = Duration.ofSeconds(5);

    /** Valid files that between them use every key of {@link AppKey}; mutations start from these. */
    static final List<String> SAMPLES = List.of("""
            apps:
              - name: web
                script: app.js
                instances: 2
                port: 3000
                env:
                  GREETING: hello
                  WORKERS: 4
                kill_timeout: 5s
                ready: {http: /health}
                listen_timeout: 20s
                reload_parallel: 1
                protocol: http
              - name: ticker
                command: [python3, -u, tick.py]
                autorestart: true
                min_uptime: 1s
                max_restarts: 10
                restart_delay: 100ms
                restart_delay_max: 15s
                max_memory_restart: 200M
                stop_signal: SIGINT
            """, """
            apps:
              - name: api.v2
                script: app.js
                interpreter: node
                interpreter_args: --max-old-space-size=64
                args: [--port-offset, 0]
                cwd: .
                instances: max
                ready: {log: 'listening on \\d+'}
              - {name: sh, command: 'echo "$HOME" && sleep 1', shell: true, ready: {delay: 2s}}
              - name: anchors
                command: &cmd [sleep, '1']
                env: &env {A: '1', B: true}
              - {name: again, command: *cmd, env: *env}
              - {name: node, script: app.js, node_args: [--inspect]}
            """);

    /** Values of every YAML type, including hostile ones, to put where a value was. */
    static final List<String> ODD_VALUES = List.of("", "~", "null", "true", "no", "0", "-1", "1e400", "0x1F",
            "99999999999999999999", "3.14", "[]", "{}", "[1, [2, [3]]]", "{a: {b: c}}", "'quoted'", "\"\\u0000\"",
            "!!binary aGk=", "!!python/object:os.system ls", "*nope", "&a x", "'../../etc'", "x/y", "\"a\\0b\"",
            "${HOME}", "$(touch /tmp/zdm-fuzz)", "; rm -rf /", "|\n  block", ">-", "-", "? x", ": x", "%TAG",
            "\t", "@x", "`x`", "🙂", "a".repeat(5000));

    static Path dir;
    static final java.util.concurrent.ExecutorService RUNNER = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("zdm-fuzz");
        Files.writeString(dir.resolve("app.js"), "// test\n");
        Files.writeString(dir.resolve("tick.py"), "# test\n");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Property(tries = 400)
    void mutatedFilesGiveAResultNeverAnException(@ForAll("mutatedText") String text) {
        assertLoadsCleanly(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void randomBytesGiveAResultNeverAnException(@ForAll("mutatedBytes") byte[] bytes) {
        assertLoadsCleanly(bytes);
    }

    @Property(tries = 100)
    void theSamplesThemselvesLoad(@ForAll("sample") String sample) {
        var result = load(sample.getBytes(StandardCharsets.UTF_8));
        if (!(result instanceof LoadResult.Loaded)) {
            throw new AssertionError("a sample must be valid, so that mutations start from a valid file: " + result);
        }
    }

    @Provide
    Arbitrary<String> sample() {
        return Arbitraries.of(SAMPLES);
    }

    @Provide
    Arbitrary<String> mutatedText() {
        Arbitrary<List<String>> lines = Arbitraries.of(SAMPLES).map(s -> new ArrayList<>(s.lines().toList()));
        return Combinators.combine(lines, mutation().list().ofMinSize(1).ofMaxSize(6))
                .as((ls, ms) -> {
                    List<String> out = new ArrayList<>(ls);
                    for (var m : ms) m.apply(out);
                    return String.join("\n", out) + "\n";
                });
    }

    @Provide
    Arbitrary<byte[]> mutatedBytes() {
        Arbitrary<byte[]> base = Arbitraries.of(SAMPLES).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<int[]> flips = Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMaxSize(12);
        Arbitrary<byte[]> pure = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        Arbitrary<byte[]> flipped = Combinators.combine(base, flips, Arbitraries.integers().between(0, 100))
                .as((b, f, cutPercent) -> {
                    byte[] copy = b.clone();
                    for (int i = 0; i + 1 < f.length; i += 2) copy[f[i] % copy.length] = (byte) f[i + 1];
                    int keep = cutPercent >= 80 ? copy.length : copy.length * cutPercent / 80;
                    return java.util.Arrays.copyOf(copy, keep);
                });
        return Arbitraries.oneOf(flipped, pure);
    }

    /** One edit of the file's lines. Indexes are taken modulo the current size, so any edit applies. */
    interface Mutation {
        void apply(List<String> lines);
    }

    Arbitrary<Mutation> mutation() {
        var index = Arbitraries.integers().between(0, 1000);
        var value = Arbitraries.oneOf(Arbitraries.of(ODD_VALUES),
                Arbitraries.strings().ofMaxLength(40), Arbitraries.strings().ascii().ofMaxLength(40),
                Arbitraries.integers().map(String::valueOf), Arbitraries.doubles().map(String::valueOf));
        Arbitrary<Mutation> drop = index.map(i -> ls -> { if (!ls.isEmpty()) ls.remove(i % ls.size()); });
        Arbitrary<Mutation> duplicate = index.map(i -> ls -> { if (!ls.isEmpty()) ls.add(i % ls.size(), ls.get(i % ls.size())); });
        Arbitrary<Mutation> swap = Combinators.combine(index, index).as((i, j) -> ls -> {
            if (!ls.isEmpty()) java.util.Collections.swap(ls, i % ls.size(), j % ls.size());
        });
        Arbitrary<Mutation> newValue = Combinators.combine(index, value).as((i, v) -> ls -> {
            if (ls.isEmpty()) return;
            int at = i % ls.size();
            String line = ls.get(at);
            int colon = line.indexOf(':');
            ls.set(at, colon < 0 ? line + " " + v : line.substring(0, colon + 1) + " " + v);
        });
        Arbitrary<Mutation> insert = Combinators.combine(index, value, Arbitraries.integers().between(0, 8))
                .as((i, v, indent) -> ls -> ls.add(ls.isEmpty() ? 0 : i % (ls.size() + 1), " ".repeat(indent) + v));
        Arbitrary<Mutation> truncate = Combinators.combine(index, index).as((i, c) -> ls -> {
            if (ls.isEmpty()) return;
            int at = i % ls.size();
            String line = ls.get(at);
            ls.set(at, line.substring(0, c % (line.length() + 1)));
            ls.subList(at + 1, ls.size()).clear();
        });
        Arbitrary<Mutation> indent = Combinators.combine(index, Arbitraries.integers().between(-4, 4)).as((i, d) -> ls -> {
            if (ls.isEmpty()) return;
            int at = i % ls.size();
            String line = ls.get(at);
            ls.set(at, d >= 0 ? " ".repeat(d) + line : line.substring(Math.min(-d, line.length() - line.stripLeading().length())));
        });
        return Arbitraries.oneOf(drop, duplicate, swap, newValue, insert, truncate, indent);
    }

    private static void assertLoadsCleanly(byte[] bytes) {
        LoadResult result = load(bytes);
        switch (result) {
            case LoadResult.Loaded loaded -> {
                if (loaded.apps().isEmpty() && !new String(bytes, StandardCharsets.UTF_8).contains("apps")) {
                    throw new AssertionError("loaded a file without apps:");
                }
            }
            case LoadResult.Invalid invalid -> {
                if (invalid.errors().isEmpty()) throw new AssertionError("Invalid without an error");
                for (var e : invalid.errors()) {
                    String line = e.format();
                    if (line.isBlank() || line.contains("\n") || line.contains("Exception")) {
                        throw new AssertionError("an error must be one readable line, got: " + line);
                    }
                }
            }
        }
    }

    /** Loads in a virtual thread so that a hang becomes a failure after {@link #PER_TRY}, not a stuck build. */
    private static LoadResult load(byte[] bytes) {
        Path file = dir.resolve("ecosystem.yaml");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var future = RUNNER.submit(() -> EcosystemLoader.loadFile(file));
        try {
            LoadResult result = future.get(PER_TRY.toMillis(), TimeUnit.MILLISECONDS);
            if (result == null) throw new AssertionError("the loader returned null");
            return result;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("the loader took longer than " + PER_TRY + " (hang?)");
        } catch (ExecutionException e) {
            throw new AssertionError("the loader threw instead of returning Invalid: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
