package zdm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import zdm.sys.UnixDatagram;

class SdNotifyTest {
    @Test
    void readyCarriesMainPidAndStatus() throws Exception {
        String name = "@zdm-sdnotify-" + System.nanoTime();
        try (var systemd = UnixDatagram.bind(name, 4096)) {
            var n = new SdNotify(name);
            assertTrue(n.enabled());
            n.ready("2 app(s)\nsecond line");
            assertEquals("READY=1\nMAINPID=" + ProcessHandle.current().pid() + "\nSTATUS=2 app(s) second line",
                    systemd.receive(Duration.ofSeconds(5)).orElseThrow().text());
            n.stopping("bye");
            assertEquals("STOPPING=1\nSTATUS=bye", systemd.receive(Duration.ofSeconds(5)).orElseThrow().text());
        }
    }

    @Test
    void withoutAUsableSocketNothingIsSentAndNothingFails() {
        assertFalse(new SdNotify(null).enabled());
        assertFalse(new SdNotify("").enabled());
        assertFalse(new SdNotify("vsock:2:1234").enabled());
        var gone = new SdNotify("@zdm-nobody-listens-" + System.nanoTime());
        assertTrue(gone.enabled());
        gone.ready("x");   // refused: logged once, never thrown
        gone.stopping("y");
    }
}
