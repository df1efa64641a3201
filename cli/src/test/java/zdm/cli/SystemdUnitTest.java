package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdUnitTest {
    private static SystemdUnit unit(boolean system, Duration kill) {
        return new SystemdUnit(Path.of("/opt/zdm/bin/zdm"), system, "alice",
                Map.of("ZDM_HOME", "/home/alice/.zdm", "PATH", "/usr/local/bin:/usr/bin", "JAVA_HOME", "/usr/lib/jvm/jdk-25"),
                kill, Duration.ofSeconds(30));
    }

    /** key -> values (repeated keys in order), section headers and comments skipped. */
    static Map<String, List<String>> keys(String text) {
        var m = new LinkedHashMap<String, List<String>>();
        for (var line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) m.computeIfAbsent(line.substring(0, eq), k -> new java.util.ArrayList<>()).add(line.substring(eq + 1));
        }
        return m;
    }

    @Test
    void userUnitRunsTheDaemonAsANotifyServiceThatStopsItsWorkersItself() {
        String text = unit(false, Duration.ofSeconds(5)).render();
        assertTrue(text.startsWith(SystemdUnit.MARKER), text);
        var k = keys(text);
        assertEquals(List.of("\"/opt/zdm/bin/zdm\" daemon"), k.get("ExecStart"));
        assertEquals(List.of("notify"), k.get("Type"));
        assertEquals(List.of("main"), k.get("NotifyAccess"));
        assertEquals(List.of("mixed"), k.get("KillMode"));
        assertEquals(List.of("on-failure"), k.get("Restart"));
        assertEquals(List.of("/bin/kill -HUP $MAINPID"), k.get("ExecReload"));
        assertEquals(List.of("\"JAVA_HOME=/usr/lib/jvm/jdk-25\"", "\"PATH=/usr/local/bin:/usr/bin\"", "\"ZDM_HOME=/home/alice/.zdm\""),
                k.get("Environment"));
        assertEquals(List.of("25"), k.get("TimeoutStopSec"), "2 x kill_timeout 5 s + 15 s");
        assertEquals(List.of("90"), k.get("TimeoutStartSec"), "never below systemd's default");
        assertEquals(List.of("default.target"), k.get("WantedBy"));
        assertFalse(k.containsKey("User"), "a user unit runs as its user");
        assertTrue(text.contains("\n[Unit]\n") && text.contains("\n[Service]\n") && text.contains("\n[Install]\n"), text);
    }

    @Test
    void systemUnitNamesItsUserAndTheStopTimeoutFollowsKillTimeout() {
        var k = keys(unit(true, Duration.ofSeconds(60)).render());
        assertEquals(List.of("alice"), k.get("User"));
        assertEquals(List.of("multi-user.target"), k.get("WantedBy"));
        assertEquals(List.of("network.target"), k.get("After"));
        assertEquals(List.of("135"), k.get("TimeoutStopSec"));
        assertEquals(List.of("120"), k.get("TimeoutStartSec"), "kill 60 + listen 30 + 30");
    }

    @Test
    void oddCharactersAreQuotedTheWaySystemdReadsThem() {
        assertEquals("\"/a b/100%%/x$$y\"", SystemdUnit.quote("/a b/100%/x$y", true));
        assertEquals("\"K=a\\\"b\\\\c$d\"", SystemdUnit.quote("K=a\"b\\c$d", false));
        assertThrows(IllegalArgumentException.class, () -> new SystemdUnit(Path.of("bin/zdm"), false, "a", Map.of(),
                Duration.ZERO, Duration.ZERO));
    }

    @Test
    void unitPathFollowsXdgConfigHomeForUsersAndEtcForTheSystem() {
        var home = Path.of("/home/alice");
        assertEquals(Path.of("/home/alice/.config/systemd/user/zdm.service"), SystemdUnit.path(false, Map.of(), home));
        assertEquals(Path.of("/x/cfg/systemd/user/zdm.service"), SystemdUnit.path(false, Map.of("XDG_CONFIG_HOME", "/x/cfg"), home));
        assertEquals(Path.of("/etc/systemd/system/zdm.service"), SystemdUnit.path(true, Map.of(), home));
    }
}
