package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pm2's cron_restart syntax: the next tick after a fixed time, and one-line errors. */
class CronTest {
    /** A Wednesday. */
    static final ZonedDateTime T = ZonedDateTime.of(2026, 12, 2, 10, 17, 30, 0, ZoneOffset.UTC);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "0 3 * * *          | 2026-12-03T03:00Z",
            "*/15 * * * *       | 2026-12-02T10:30Z",
            "*/10 * * * * *     | 2026-12-02T10:17:40Z",
            "0 0 * * MON        | 2026-12-07T00:00Z",
            "0 0 * * 7          | 2026-12-06T00:00Z",
            "0 9-17/4 * * 1-5   | 2026-12-02T13:00Z",
            "30 2 1 JAN *       | 2027-01-01T02:30Z",
            "0 0 13 * FRI       | 2026-12-04T00:00Z",
            "@hourly            | 2026-12-02T11:00Z",
            "@daily             | 2026-12-03T00:00Z",
            "5/20 * * * *       | 2026-12-02T10:25Z",
            "0 0 31 2 *         | ",
    })
    void nextTick(String expression, String expected) throws Cron.Invalid {
        var next = Cron.parse(expression).next(T);
        if (expected == null) assertNull(next, "February 31st never comes");
        else assertEquals(ZonedDateTime.parse(expected), next);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "* * *             | expected 5 fields (minute hour day month weekday) or 6 (with seconds first), got 3 in \"* * *\"",
            "61 * * * *        | minutes: expected 0 to 59, got \"61\"",
            "0 0 * FOO *       | month: expected 1 to 12 or a name such as JAN, got \"FOO\"",
            "0 5-2 * * *       | hours: range 5-2 goes backwards",
            "0 0 L * *         | day of month: expected 1 to 31, got \"L\"",
    })
    void invalid(String expression, String message) {
        assertEquals(message, assertThrows(Cron.Invalid.class, () -> Cron.parse(expression)).getMessage());
    }
}
