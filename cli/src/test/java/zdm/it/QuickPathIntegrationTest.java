package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code zdm ls} and {@code zdm ping} take the quick path (zdm.cli.QuickCommands: the daemon renders,
 * no picocli); the same words with {@code --debug} take the full CLI. Against a real daemon, both must
 * print the same. The apps are stopped so that nothing in the table moves between the two runs.
 */
class QuickPathIntegrationTest {
    @Test
    void quickAndFullPathsPrintTheSame() throws Exception {
        try (var z = new ZdmHome()) {
            z.ecosystem("""
                    apps:
                      - name: idle
                        command: sleep 600
                        instances: 2
                        env: { ZDM_TEST_TAG: ${TAG} }
                      - name: other
                        command: sleep 600
                        env: { ZDM_TEST_TAG: ${TAG} }
                    """);
            z.ok("start", "ecosystem.yaml");
            z.ok("stop", "all");
            for (String[] words : new String[][] {{"ls"}, {"list"}, {"status"}, {"ls", "--json"}}) {
                CliResult quick = z.ok(words);
                CliResult full = z.ok(append(words, "--debug"));
                assertEquals(full, quick, String.join(" ", words));
                assertTrue(quick.out().contains("idle") && quick.out().contains("other"), quick.toString());
            }
            String ping = z.ok("ping").out();
            assertEquals(z.ok("ping", "--debug").out().replaceAll(" up \\S+,", " up _,"), ping.replaceAll(" up \\S+,", " up _,"));
            assertTrue(ping.startsWith("pong: daemon " + z.daemonPid().orElseThrow() + " up "), ping);
        }
    }

    private static String[] append(String[] words, String word) {
        var all = java.util.Arrays.copyOf(words, words.length + 1);
        all[words.length] = word;
        return all;
    }
}
