package zdm.it;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the machine has, for the assumptions that guard tests needing a real runtime's library. */
final class Installed {
    private Installed() {}

    /** Whether {@code /usr/bin/python3} can import {@code module} (e.g. "uvicorn"). */
    static boolean pythonModule(String module) {
        return succeeds(List.of("/usr/bin/python3", "-c", "import " + module));
    }

    /** Whether {@code ruby} can require {@code library} (e.g. "sd_notify"); false without ruby. */
    static boolean rubyLibrary(String library) {
        return succeeds(List.of("ruby", "-r" + library, "-e", "exit 0"));
    }

    private static boolean succeeds(List<String> command) {
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(60, TimeUnit.SECONDS)) return p.exitValue() == 0;
            p.destroyForcibly();
            return false;
        } catch (IOException e) {
            return false;   // the interpreter itself is missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
