package zdm.config;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** A temp directory with an ecosystem file and real scripts, and shortcuts to load and inspect it. */
final class EcoDir {

    final Path dir;
    final Path file;

    EcoDir(Path dir) {
        this.dir = dir;
        this.file = dir.resolve("ecosystem.yaml");
    }

    /** Writes the ecosystem file; lines joined with newlines, so line numbers in tests are countable. */
    EcoDir yaml(String... lines) {
        write(file, String.join("\n", lines) + "\n");
        return this;
    }

    /** One app "web" running app.js, with {@code lines} (its keys, indented here) from line 4 on. */
    EcoDir web(String... lines) {
        var all = new java.util.ArrayList<>(List.of("apps:", "  - name: web", "    script: app.js"));
        for (var l : lines) all.add("    " + l);
        return yaml(all.toArray(String[]::new));
    }

    Path script(String relative) {
        return write(dir.resolve(relative), "// test script\n");
    }

    Path executable(String relative) {
        Path p = write(dir.resolve(relative), "#!/bin/sh\nexit 0\n");
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    Path mkdir(String relative) {
        try {
            return Files.createDirectories(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LoadResult load() {
        return EcosystemLoader.loadFile(file);
    }

    List<AppSpec> apps() {
        var result = load();
        if (result instanceof LoadResult.Invalid invalid) {
            throw new AssertionError("expected a valid file, got:\n" + String.join("\n", formatted(invalid)));
        }
        return ((LoadResult.Loaded) result).apps();
    }

    AppSpec app() {
        var apps = apps();
        if (apps.size() != 1) throw new AssertionError("expected one app, got " + apps);
        return apps.getFirst();
    }

    /** The warnings of a valid file. */
    List<String> warnings() {
        return assertInstanceOf(LoadResult.Loaded.class, load(), "expected a valid file").warnings();
    }

    /** The formatted errors, with the file name shortened to "eco" so expectations stay readable. */
    List<String> errors() {
        return formatted(assertInstanceOf(LoadResult.Invalid.class, load(), "expected errors"))
                .stream().map(e -> e.replace(file.toString(), "eco").replace(dir.toString(), "$DIR")).toList();
    }

    private static List<String> formatted(LoadResult.Invalid invalid) {
        return invalid.errors().stream().map(ConfigError::format).toList();
    }

    private static Path write(Path path, String content) {
        try {
            Files.createDirectories(path.getParent());
            return Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
