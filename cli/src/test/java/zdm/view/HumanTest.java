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
    void percentOrDashWhenUnknown() {
        assertEquals("12.5%", Human.percent(12.5));
        assertEquals("0.0%", Human.percent(0));
        assertEquals("-", Human.percent(-1));
    }
}
