package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations, Sizes, CommandLineSplitter and Suggestions on their own. */
class HelpersTest {

    @ParameterizedTest
    @CsvSource({"1500, 1500", "0, 0", "250ms, 250", "1.5s, 1500", "2m, 120000", "1h, 3600000", "0.5h, 1800000",
            "' 3s ', 3000", "1.5ms, 2"})
    void durations(String text, long ms) {
        assertEquals(OptionalLong.of(ms), Durations.parseMillis(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "-1s", "1.5", "1 s", "1d", "s", "1S", "1e3", "abc", "99999999999999999h"})
    void badDurations(String text) {
        assertEquals(OptionalLong.empty(), Durations.parseMillis(text));
    }

    @Test
    void durationFormat() {
        assertEquals(List.of("0ms", "250ms", "1s", "1.5s", "2m", "1h", "90s"),
                List.of(0L, 250L, 1000L, 1500L, 120_000L, 3_600_000L, 90_000L).stream().map(Durations::format).toList());
    }

    @ParameterizedTest
    @CsvSource({"1024, 1024", "512K, 524288", "300M, 314572800", "1G, 1073741824", "300MB, 314572800",
            "1.5G, 1610612736", "2k, 2048", "0, 0", "10B, 10"})
    void sizes(String text, long bytes) {
        assertEquals(OptionalLong.of(bytes), Sizes.parseBytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5", "1T", "M", "lots", "1 0"})
    void badSizes(String text) {
        assertEquals(OptionalLong.empty(), Sizes.parseBytes(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "a b  c          | a,b,c",
            "'a b' c         | a b,c",
            "\"a b\" c       | a b,c",
            "a\"b c\"d       | ab cd",
            "\"\" x ''       | ,x,",
            "a\\ b           | a b",
            "\"\\$x \\\" \\a\" | $x \" \\a",
            "'\\n $HOME'     | \\n $HOME",
            "x*y ~ > ;       | x*y,~,>,;",
            "end\\           | end\\"})
    void splitsLikeAPosixShell(String line, String words) {
        List<String> expected = List.of(words.split(",", -1));
        assertEquals(expected, split(line));
    }

    @Test
    void whitespaceAndLineContinuation() throws Exception {
        assertEquals(List.of("a", "b", "c"), CommandLineSplitter.split("  a\t b\n c  "));
        assertEquals(List.of("ab"), CommandLineSplitter.split("a\\\nb"));
        assertEquals(List.of("ab"), CommandLineSplitter.split("\"a\\\nb\""));
        assertEquals(List.of(), CommandLineSplitter.split("   "));
    }

    @Test
    void unterminatedQuotes() {
        assertEquals("unterminated single quote at character 3",
                assertThrows(CommandLineSplitter.SplitException.class, () -> CommandLineSplitter.split("a 'b")).getMessage());
        assertEquals("unterminated double quote at character 1",
                assertThrows(CommandLineSplitter.SplitException.class, () -> CommandLineSplitter.split("\"a \\\"")).getMessage());
    }

    @Test
    void suggestions() {
        var keys = AppKey.keys();
        assertEquals(Optional.of("instances"), Suggestions.closest("instanses", keys));
        assertEquals(Optional.of("instances"), Suggestions.closest("insatnces", keys));
        assertEquals(Optional.of("autorestart"), Suggestions.closest("AutoRestart", keys));
        assertEquals(Optional.of("max_memory_restart"), Suggestions.closest("max-memory-restart", keys));
        assertEquals(Optional.empty(), Suggestions.closest("frobnicate", keys));
        assertEquals(Optional.empty(), Suggestions.closest("xyz", keys));
        assertEquals(1, Suggestions.distance("SIGTREM", "SIGTERM"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }

    private static List<String> split(String line) {
        try {
            return CommandLineSplitter.split(line.strip());
        } catch (CommandLineSplitter.SplitException e) {
            throw new AssertionError(e.getMessage());
        }
    }
}
