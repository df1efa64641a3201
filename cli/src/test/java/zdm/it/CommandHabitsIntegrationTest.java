package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.protocol.AppView;
import zdm.test.Await;

/** pm2 habits that need a real daemon: reload all with a stopped app, a mistyped app name. */
@ExtendWith(ZdmHomes.class)
class CommandHabitsIntegrationTest {
    ZdmHome z;

    /** Two long-running apps, for the habits that act on all. */
    private static final String WEB_AND_JOBS = """
            apps:
              - name: web
                command: sleep 1000
                min_uptime: 200ms
                env: { ZDM_TEST_TAG: ${TAG} }
              - name: jobs
                command: sleep 1000
                min_uptime: 200ms
                env: { ZDM_TEST_TAG: ${TAG} }
            """;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    @Test
    void reloadAllReloadsTheRunningAppsAndNamesTheStoppedOnes() throws Exception {
        z.ecosystem(WEB_AND_JOBS);
        z.ok("start", "ecosystem.yaml");
        z.ok("stop", "jobs");
        long before = z.pids("web").getFirst();
        var r = z.zdm("reload", "all");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("reloaded web: 1 worker(s) replaced"), r.toString());
        assertTrue(r.out().contains("skipped: jobs is stopped"), r.toString());
        assertNotEquals(before, z.pids("web").getFirst());
        assertEquals(AppView.Status.STOPPED, z.app("jobs").status());

        var typo = z.zdm("reload", "wbe");
        assertEquals("zdm: no app named 'wbe'; did you mean \"web\"?\n", typo.err());
        var id = z.zdm("stop", "0");
        assertTrue(id.err().contains("zdm has no numeric ids"), id.toString());
    }

    /** pm2 users read "--since 15m" as "everything since": a cut by the default -n would hide most of it. */
    @Test
    void eventsSinceShowsEverythingSinceThenOrSaysHowManyWereLeftOut() throws Exception {
        z.ecosystem("""
                apps:
                  - name: crashy
                    command: [sh, -c, "exit 3"]
                    max_restarts: 12
                    restart_delay: 10ms
                    restart_delay_max: 20ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.zdm("start", "ecosystem.yaml"); // exits 1: crashy never comes up, by design
        Await.until(ZdmHome.SHORT, () -> z.app("crashy").status() == AppView.Status.ERRORED, "crashy errored");
        long all = z.ok("events", "crashy", "-n", "1000").out().lines().count();
        assertTrue(all > 30, "a crash loop of 12 restarts leaves more events than the default 20: " + all);

        var since = z.ok("events", "crashy", "--since", "10m").out();
        assertEquals(all, since.lines().count(), since);

        var cut = z.ok("events", "crashy", "--since", "10m", "-n", "3").out().lines().toList();
        assertEquals(4, cut.size(), String.join("\n", cut));
        assertEquals("3 of " + all + " events shown (the newest); -n " + all + " shows them all", cut.getLast());
    }

    @Test
    void startOfAScriptPassesTheCallersEnvironmentAsPm2Does() throws Exception {
        z.file("job.sh", "exec sleep 1000\n");
        z.env.put("ZDM_TEST_TAG", z.tag);
        z.env.put("GREETING", "hello from the shell");
        z.env.put("API_TOKEN", "s3cret");
        z.ok("start", "job.sh", "-e", "GREETING=from -e wins");
        long pid = z.pids("job").getFirst();
        String environ = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/environ"));
        assertTrue(environ.contains("\0GREETING=from -e wins\0") && environ.contains("\0API_TOKEN=s3cret\0"),
                environ.replace('\0', ' '));
        var describe = z.ok("describe", "job").out();
        assertTrue(describe.contains("API_TOKEN=********") && !describe.contains("s3cret"), describe);
    }

    /**
     * pm2 passes the environment of the command that starts an ecosystem file: the file's env wins, the app keeps it
     * (a later start from another shell changes nothing, and reloads nothing), --update-env replaces it. The first
     * start launches the daemon (the full path); the later ones reach it on the fast path, where the environment
     * travels in the request.
     */
    @Test
    void startOfAFilePassesTheCallersEnvironmentBeneathTheFilesAsPm2Does() throws Exception {
        z.ecosystem("""
                apps:
                  - name: web
                    command: sleep 1000
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: ${TAG}, GREETING: from the file }
                """);
        z.env.put("GREETING", "from the shell");
        z.env.put("SHELL_ONLY", "one");
        z.env.put("API_TOKEN", "s3cret");
        z.ok("start", "ecosystem.yaml");
        long pid = z.pids("web").getFirst();
        assertTrue(environ(pid).containsAll(List.of("GREETING=from the file", "SHELL_ONLY=one", "API_TOKEN=s3cret")),
                "the caller's variables beneath the file's: " + environ(pid));
        var describe = z.ok("describe", "web").out();
        assertTrue(describe.contains("SHELL_ONLY=one") && describe.contains("API_TOKEN=********") && !describe.contains("s3cret"),
                describe);

        z.env.put("SHELL_ONLY", "two");
        z.ok("start", "ecosystem.yaml"); // another shell: the app keeps the environment it was started with
        assertEquals(List.of(pid), z.pids("web"), "nothing changed, nothing reloaded");
        assertTrue(environ(pid).contains("SHELL_ONLY=one"), environ(pid).toString());

        z.file("second.yaml", """
                apps:
                  - name: jobs
                    command: sleep 1000
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: %s }
                """.formatted(z.tag));
        z.ok("start", "second.yaml"); // the daemon runs: the fast path
        assertTrue(environ(z.pids("jobs").getFirst()).contains("SHELL_ONLY=two"), "a new app gets this caller's environment");

        z.ok("start", "ecosystem.yaml", "--update-env");
        long reloaded = z.pids("web").getFirst();
        assertNotEquals(pid, reloaded, "--update-env: the environment changed, so the app was reloaded");
        assertTrue(environ(reloaded).containsAll(List.of("SHELL_ONLY=two", "GREETING=from the file")), environ(reloaded).toString());
    }

    private static List<String> environ(long pid) throws java.io.IOException {
        return List.of(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/environ")).split("\0"));
    }

    /** pm2's stop all leaves the stopped apps alone (named here), and its restart all starts them too. */
    @Test
    void stopAllNamesTheAppsAlreadyStoppedAndRestartAllStartsEveryApp() throws Exception {
        z.ecosystem(WEB_AND_JOBS);
        z.ok("start", "ecosystem.yaml");
        z.ok("stop", "jobs");
        var stop = z.ok("stop", "all").out();
        assertTrue(stop.contains("stopped web; skipped: jobs (already stopped)"), stop);
        assertEquals(AppView.Status.STOPPED, z.app("web").status());
        var again = z.ok("stop", "all").out();
        assertTrue(again.contains("nothing to stop; skipped: jobs, web (already stopped)"), again);
        z.ok("restart", "all");
        assertEquals(AppView.Status.RUNNING, z.app("web").status());
        assertEquals(AppView.Status.RUNNING, z.app("jobs").status());
    }

    /** One format for every time the CLI prints: ISO 8601, milliseconds, the local zone's offset. */
    @Test
    void logsEventsAndDescribeStampTimesInOneFormatWithTheZone() throws Exception {
        z.env.put("TZ", "Asia/Kolkata"); // +05:30 all year: the offset shows the zone was applied
        z.ecosystem("""
                apps:
                  - name: talker
                    command: [sh, -c, "echo hello; exec sleep 1000"]
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");
        Await.until(ZdmHome.SHORT, () -> z.ok("logs", "talker").out().contains("hello"), "the line logged");
        var stamp = java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d(:\\d\\d)?\\S*");
        String printed = z.ok("logs", "talker").out() + z.ok("events", "talker").out() + z.ok("describe", "talker").out();
        var times = stamp.matcher(printed).results().map(java.util.regex.MatchResult::group).toList();
        assertTrue(times.size() >= 3, printed);
        for (String t : times) {
            assertTrue(t.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+05:30"), t + " in:\n" + printed);
        }
    }
}
