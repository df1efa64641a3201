package zdm.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The fast client as bin/zdm runs it (zdm.client.FastMain with zdm-client.jar alone on its class
 * path), for tests that run before Maven's package phase: a jar of the package zdm.client from the
 * compiled classes, with this build's id in its manifest as cli/pom.xml puts it there, made once
 * per test JVM; and a stand-in for bin/zdm's full path, where the client hands a command over.
 */
public final class ClientJar {
    private static Path jar;

    private ClientJar() {}

    /** The jar (made at the first call). */
    public static synchronized Path path() {
        if (jar != null) return jar;
        try {
            Path classes = Path.of(zdm.client.FastMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.createDirectories(classes.resolveSibling("test-client"));
            Path out = dir.resolve("zdm-client.jar");
            Path partial = dir.resolve("zdm-client.jar." + ProcessHandle.current().pid());
            var manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, build());
            try (var zip = new JarOutputStream(Files.newOutputStream(partial), manifest);
                 Stream<Path> files = Files.walk(classes.resolve("zdm/client"))) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    zip.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                    zip.write(Files.readAllBytes(f));
                    zip.closeEntry();
                }
            }
            jar = Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The build: line of launch.conf as the build filled it in (zdm.cli.LaunchConf.BUILD). */
    private static String build() {
        return String.join(" ", launchConf("build: "));
    }

    /** The words of launch.conf's line that starts with {@code key}, as the build filled it in. */
    private static List<String> launchConf(String key) {
        try (InputStream in = ClientJar.class.getResourceAsStream("/zdm/cli/launch.conf")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(key)) return List.of(line.substring(key.length()).strip().split(" +"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("launch.conf has no line " + key);
    }

    /** {@code java <launch.conf's client_flags> <jvmFlags> ... zdm.client.FastMain args}, as bin/zdm runs it (without its AOT cache). */
    public static List<String> command(List<String> jvmFlags, String... args) {
        var cmd = new ArrayList<String>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(launchConf("client_flags: "));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", path().toString(), "zdm.client.FastMain"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * A stand-in for bin/zdm at {@code file}, for {@code ZDM_LAUNCHER}: what bin/zdm does when the fast
     * client hands a command over (ZDM_FULL_PATH=1): the full CLI, told not to try the fast path again,
     * without the mark in its environment. It fails with 99 when called without the mark.
     */
    public static Path launcher(Path file) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Files.writeString(file, "#!/bin/sh\n"
                + "[ \"$ZDM_FULL_PATH\" = 1 ] || { echo \"launcher: no ZDM_FULL_PATH=1\" >&2; exit 99; }\n"
                + "unset ZDM_FULL_PATH\n"
                + "exec " + quote(java) + " --enable-native-access=ALL-UNNAMED -Dzdm.fastPathTried=1 -cp "
                + quote(System.getProperty("java.class.path")) + " zdm.cli.Main \"$@\"\n");
        file.toFile().setExecutable(true);
        return file;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
