package zdm.proc;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinePumpTest {
    private static List<String> pump(byte[] input) {
        var lines = new ArrayList<String>();
        new LinePump(new ByteArrayInputStream(input), lines::add).run();
        return lines;
    }

    @Test
    void splitsOnNewlinesDropsCrAndKeepsEmptyLinesAndTheUnterminatedTail() {
        assertEquals(List.of("a", "", "b", "c"), pump("a\r\n\nb\nc".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() {
        assertEquals(List.of("x\uFFFDy"), pump(new byte[]{'x', (byte) 0xFF, 'y', '\n'}));
    }

    @Test
    void longLinesAreSplitWithoutBreakingACharacter() {
        String euro = "\u20AC";   // 3 bytes in UTF-8: 64 KiB is not a multiple of 3
        String line = euro.repeat(LinePump.MAX_LINE / 3 + 10);
        List<String> lines = pump((line + "\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(2, lines.size());
        assertEquals(line, String.join("", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("\uFFFD")));
        assertTrue(lines.getFirst().getBytes(StandardCharsets.UTF_8).length <= LinePump.MAX_LINE);
    }

    @Test
    void aThrowingConsumerDoesNotStopThePump() {
        var seen = new ArrayList<String>();
        new LinePump(new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)), l -> {
            seen.add(l);
            throw new IllegalStateException("broken sink");
        }).run();
        assertEquals(List.of("a", "b"), seen);
    }
}
