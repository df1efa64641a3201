package zdm.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The edges of cron_restart's fields (steps, one-value ranges, a leading '-' or '/'), from PIT's survivors in Cron. */
class CronEdgesTest {
    /** A step may be as long as the field (every 60 minutes is once an hour); a range may be one value. */
    @ParameterizedTest
    @ValueSource(strings = {"*/60 * * * *", "0 0 */31 * *", "5-5 * * * *", "0 0 1-1 * *"})
    void theLongestStepAndASingleValueRangeAreAccepted(String expression) {
        assertDoesNotThrow(() -> Cron.parse(expression));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "0 0 */32 * *  | day of month step: expected 1 to 31, got \"32\"",
            "/5 * * * *    | minutes: expected 0 to 59, got \"\"",
            "-5 * * * *    | minutes: expected 0 to 59, got \"-5\"",
    })
    void aStepLongerThanTheFieldOrAMissingStartIsRefused(String expression, String message) {
        assertEquals(message, assertThrows(Cron.Invalid.class, () -> Cron.parse(expression)).getMessage());
    }

    /** describe shows the expression as written. */
    @Test
    void itShowsAsWritten() throws Cron.Invalid {
        assertEquals("*/60 * * * *", Cron.parse("*/60 * * * *").toString());
    }
}
