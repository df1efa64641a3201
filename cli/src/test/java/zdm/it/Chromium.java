package zdm.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import zdm.test.Await;

/**
 * A headless Chromium (Debian's {@code chromium}) for the browser tests, with a fresh profile and
 * nothing that reaches the network (this machine's network is closed, and a test must not depend on
 * it), driven over the DevTools protocol ({@link Cdp}). Ends every process it started on close.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Process process;
    private final Path profile;
    private final int port;

    private Chromium(Process process, Path profile, int port) {
        this.process = process;
        this.profile = profile;
        this.port = port;
    }

    /** Starts it on an empty page; the DevTools port is the one Chromium picked and wrote to its profile. */
    static Chromium start(Path dir, int width, int height) throws IOException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile-");
        var command = List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank");
        var process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile()).start();
        var activePort = profile.resolve("DevToolsActivePort");
        try {
            Await.until(Duration.ofSeconds(60), () -> Files.isRegularFile(activePort) && portIn(activePort) > 0,
                    () -> "Chromium's DevTools port (" + log(dir) + ")");
        } catch (AssertionError e) {
            end(process);
            throw e;
        }
        return new Chromium(process, profile, portIn(activePort));
    }

    /** A DevTools session on the first page target. */
    Cdp page() throws IOException, InterruptedException {
        return Cdp.connectToPage(port);
    }

    private static int portIn(Path activePort) {
        try {
            var lines = Files.readAllLines(activePort);
            return lines.isEmpty() || lines.getFirst().isBlank() ? 0 : Integer.parseInt(lines.getFirst().strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("chromium.log")).strip();
        } catch (IOException e) {
            return "no log";
        }
    }

    /** The browser and its helpers (zygote, renderer, GPU and network services), all of them ours. */
    private static void end(Process process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            Await.until(Duration.ofSeconds(10), () -> all.stream().noneMatch(ProcessHandle::isAlive), "Chromium to exit");
        } catch (AssertionError e) {
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public void close() {
        end(process);
    }
}
