package zdm.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HumanTest {
    @Test
    void bytesUseBinaryUnitsWithOneDecimal() {
        assertEquals("0B", Human.bytes(0));
        assertEquals("1023B", Human.bytes(1023));
        assertEquals("1.0K", Human.bytes(1024));
        assertEquals("1.5K", Human.bytes(1536));
        assertEquals("12.3M", Human.bytes(12_897_485));
        assertEquals("1.0M", Human.bytes(1024 * 1024 - 1)); // not "1024.0K"
        assertEquals("2.0G", Human.bytes(2L << 30));
    }

    @Test
    void durationsShowTheLargestWholeUnit() {
        assertEquals("0s", Human.duration(999));
        assertEquals("5s", Human.duration(5_400));
        assertEquals("59s", Human.duration(59_999));
        assertEquals("3m", Human.duration(3 * 60_000 + 59_000));
        assertEquals("2h", Human.duration(2 * 3_600_000 + 1));
        assertEquals("4d", Human.duration(4 * 86_400_000L + 5));
        assertEquals("0s", Human.duration(-5));
    }

    @Test
    void configuredMillisAreExact() {
        assertEquals("500ms", Human.millis(500));
        assertEquals("5s", Human.millis(5000));
        assertEquals("1.5s", Human.millis(1500));
        assertEquals("1.25s", Human.millis(1250));
        assertEquals("2m", Human.millis(120_000));
    }

    @Test
    void oneDecimalIsWhatTheFormatterGives() {
        var random = new java.util.Random(16);
        var values = new java.util.ArrayList<Double>(java.util.List.of(0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 1.45, 2.5, 9.95, 99.95,
                1023.95, 1e15, 1e16, 123456789.05, -1.25, -0.04, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE));
        for (int i = 0; i < 5_000; i++) {
            values.add(random.nextDouble() * 2048);
            values.add(Math.round(random.nextDouble() * 100_000) / 1000.0);   // three decimals: the half-way cases
            values.add(random.nextInt(5000) / 10.0 + 0.05);
        }
        for (double v : values) {
            assertEquals(String.format(java.util.Locale.ROOT, "%.1f", v), Human.oneDecimal(v), "for " + v);
        }
    }

    @Test
    void percentOrDashWhenUnknown() {
        assertEquals("12.5%", Human.percent(12.5));
        assertEquals("0.0%", Human.percent(0));
        assertEquals("-", Human.percent(-1));
    }
}
