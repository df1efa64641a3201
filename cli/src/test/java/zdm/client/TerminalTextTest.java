package zdm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlCharactersAreEscapedButColoursNewlinesAndTabsStay() {
        assertEquals("plain", TerminalText.safe("plain"));
        assertEquals("\u001b[1;32monline\u001b[0m\tok\n", TerminalText.safe("\u001b[1;32monline\u001b[0m\tok\n"));
        assertEquals("\\x1b]0;pwned\\x07title", TerminalText.safe("\u001b]0;pwned\u0007title"));
        assertEquals("\\x1b[2Jcleared\\x0dhidden", TerminalText.safe("\u001b[2Jcleared\rhidden"));
        assertEquals("\\x9b31m and \\x7f", TerminalText.safe("\u009b31m and \u007f"));
    }
}
