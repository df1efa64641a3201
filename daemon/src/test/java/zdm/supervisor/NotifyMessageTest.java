package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NotifyMessageTest {
    @Test
    void readsEveryMessageZdmActsOn() {
        var m = NotifyMessage.parse("READY=1\nSTATUS=warming up\nSTOPPING=1\nRELOADING=1\nWATCHDOG=1\n");
        assertTrue(m.ready());
        assertTrue(m.stopping());
        assertTrue(m.reloading());
        assertTrue(m.watchdog());
        assertFalse(m.watchdogTrigger());
        assertEquals("warming up", m.status());
        assertTrue(NotifyMessage.parse("WATCHDOG=trigger").watchdogTrigger());
    }

    @Test
    void ignoresWhatItDoesNotKnowWithoutError() {
        var m = NotifyMessage.parse("MAINPID=42\nERRNO=2\nFDSTORE=1\nX\n\n=\nREADY=0\nREADY=1 \nready=1\n\0");
        assertEquals(new NotifyMessage(false, false, false, false, false, null), m);
    }

    @Test
    void theLastStatusWinsAndIsMadeSafeToPrint() {
        assertEquals("b", NotifyMessage.parse("STATUS=a\nSTATUS=b").status());
        assertEquals("a b", NotifyMessage.parse("STATUS=a\u001bb").status());
        assertEquals(NotifyMessage.MAX_STATUS, NotifyMessage.parse("STATUS=" + "x".repeat(5000)).status().length());
        assertEquals("", NotifyMessage.parse("STATUS=").status());
        assertNull(NotifyMessage.parse("READY=1").status());
    }
}
