package zdm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * bin/lib/launch.conf as the build copies it into zdm-cli.jar: the daemon's JVM flags, the first
 * words of the full path's commands and this build's id, defined once for bin/lib/launch.sh and for
 * Java. A malformed file is a build defect, so it fails loudly at class initialisation
 * (FastPathTest reads it in every run).
 */
final class LaunchConf {
    static final List<String> DAEMON_FLAGS;
    /** The commands that always run in the client (FastPath): their first word. */
    static final Set<String> FULL;
    /** This build, which the fast path compares with the daemon's: the version and the build's time. */
    static final String BUILD;

    static {
        List<String> daemonFlags = null;
        Set<String> full = null;
        String build = null;
        for (String line : lines()) {
            List<String> words = Arrays.asList(line.strip().split(" +"));
            if (line.isBlank() || line.startsWith("#")) continue;
            switch (words.getFirst()) {
                case "daemon_flags:" -> daemonFlags = List.copyOf(words.subList(1, words.size()));
                case "full:" -> full = Set.copyOf(words.subList(1, words.size()));
                case "build:" -> build = String.join(" ", words.subList(1, words.size()));
                case "client_flags:" -> { } // bin/zdm's alone: a running JVM cannot change its own flags
                default -> throw new IllegalStateException("launch.conf: unknown line: " + line);
            }
        }
        if (daemonFlags == null || full == null || build == null) throw new IllegalStateException("launch.conf: incomplete");
        DAEMON_FLAGS = daemonFlags;
        FULL = full;
        BUILD = build;
    }

    private LaunchConf() {}

    private static List<String> lines() {
        try (var in = LaunchConf.class.getResourceAsStream("launch.conf")) {
            if (in == null) throw new IllegalStateException("launch.conf is missing from zdm-cli.jar");
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new ArrayList<>(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
