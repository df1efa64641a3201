package zdm.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java recipe (docs/recipes/STACK/pom.xml) built once with its own {@code mvn package} and reused: the build lands in
 * {@code ~/.cache/zdm-test/recipes/STACK-HASH/} (HASH: its pom.xml and src/), so later runs, and every cell of a run,
 * pay nothing. Built in a private directory and moved into place, so two runs at once cannot see half a build.
 */
final class RecipeBuild {
    private RecipeBuild() {}

    /** The built copy of {@code recipe}: its pom.xml and src/ plus target/classes and target/lib. */
    static synchronized Path of(Path recipe) throws Exception {
        List<Path> files;
        try (var walk = Files.walk(recipe)) {
            files = walk.filter(Files::isRegularFile) // what mvn package reads: an edited ecosystem file builds nothing
                    .filter(f -> f.equals(recipe.resolve("pom.xml")) || f.startsWith(recipe.resolve("src"))).sorted().toList();
        }
        var sha = MessageDigest.getInstance("SHA-256");
        for (Path f : files) {
            sha.update(recipe.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(f));
        }
        Path root = cacheRoot();
        Path done = root.resolve(recipe.getFileName() + "-" + HexFormat.of().formatHex(sha.digest(), 0, 8));
        if (Files.isDirectory(done.resolve("target/lib"))) return done;
        Files.createDirectories(root);
        Path work = Files.createTempDirectory(root, recipe.getFileName() + "-building-");
        try {
            for (Path f : files) {
                Path to = work.resolve(recipe.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
            var pb = new ProcessBuilder("mvn", "-B", "-ntp", "-q", "package").directory(work.toFile()).redirectErrorStream(true);
            pb.redirectOutput(work.resolve("build.log").toFile());
            var p = pb.start();
            boolean ended = p.waitFor(10, TimeUnit.MINUTES);
            if (!ended) p.destroyForcibly();
            assertTrue(ended && p.exitValue() == 0, "mvn package of " + recipe + " failed:\n" + Files.readString(work.resolve("build.log")));
            try {
                Files.move(work, done, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // another run built the same files meanwhile: its copy is as good
            }
        } finally {
            if (Files.exists(work)) delete(work);
        }
        return done;
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("zdm-test/recipes");
    }

    private static void delete(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
