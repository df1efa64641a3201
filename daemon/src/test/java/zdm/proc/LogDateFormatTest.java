package zdm.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class LogDateFormatTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** Sunday 7 December 2026, 13:05:09.042 in Paris (UTC+1). */
    private static final long AT = ZonedDateTime.of(2026, 12, 6, 13, 5, 9, 42_000_000, PARIS).toInstant().toEpochMilli();

    private static String format(String pattern) {
        return new LogDateFormat(pattern, PARIS).format(AT);
    }

    @Test
    void rendersDayJsTokensAsDayJsDoes() {
        assertEquals("2026-12-06T13:05:09", format("YYYY-MM-DDTHH:mm:ss"));
        assertEquals("2026-12-06 13:05 +01:00", format("YYYY-MM-DD HH:mm Z"));
        assertEquals("26 12 Dec December 6 06 0 Su Sun Sunday", format("YY M MMM MMMM D DD d dd ddd dddd"));
        assertEquals("1 01 pm PM 5 05 9 09 042 +0100", format("h hh a A m mm s ss SSS ZZ"));
    }

    @Test
    void bracketsAreLiteralAndOtherCharactersAreCopied() {
        assertEquals("at 13h05 [ok] YYYY", format("[at] HH[h]mm [[ok]] [YYYY]").replace("[ok]", "[ok]"));
        assertEquals("~ 2026 ~", format("~ YYYY ~"));
    }
}
