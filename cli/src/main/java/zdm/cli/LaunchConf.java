package zdm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bin/lib/launch.conf as the build copies it into zdm-cli.jar: the daemon's JVM flags and the quick
 * path's argument vectors, defined once for bin/lib/launch.sh and for Java. A malformed file is a
 * build defect, so it fails loudly at class initialisation (QuickCommandsTest reads it in every run).
 */
final class LaunchConf {
    static final List<String> DAEMON_FLAGS;
    static final Map<List<String>, QuickCommands.Kind> QUICK;

    static {
        List<String> daemonFlags = null;
        var quick = new LinkedHashMap<List<String>, QuickCommands.Kind>();
        for (String line : lines()) {
            List<String> words = Arrays.asList(line.strip().split(" +"));
            if (line.isBlank() || line.startsWith("#")) continue;
            switch (words.getFirst()) {
                case "daemon_flags:" -> daemonFlags = List.copyOf(words.subList(1, words.size()));
                case "quick:" -> quick.put(List.copyOf(words.subList(2, words.size())),
                        QuickCommands.Kind.valueOf(words.get(1).toUpperCase(Locale.ROOT)));
                case "client_flags:" -> { } // bin/zdm's alone: a running JVM cannot change its own flags
                default -> throw new IllegalStateException("launch.conf: unknown line: " + line);
            }
        }
        if (daemonFlags == null || quick.isEmpty()) throw new IllegalStateException("launch.conf: incomplete");
        DAEMON_FLAGS = daemonFlags;
        QUICK = Map.copyOf(quick);
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
