package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The edges of Suggestions (how far a typo may be from the name it suggests, which of two equally close names
 * wins, long values in messages) and CommandLineSplitter (a backslash at the end of an open double quote).
 * Written against PIT's survivors in those classes.
 */
class HelperEdgesTest {

    @Test
    void aWordOfFourLettersMayBeOneEditAway() {
        assertEquals(Optional.of("port"), Suggestions.closest("pxrt", List.of("port")));
        assertEquals(Optional.empty(), Suggestions.closest("pxxt", List.of("port")));
    }

    @Test
    void aWordOfFiveToTenLettersMayBeTwoEditsAway() {
        assertEquals(Optional.of("ports"), Suggestions.closest("pxxts", List.of("ports")));
        assertEquals(Optional.empty(), Suggestions.closest("pxxxs", List.of("ports")));
        assertEquals(Optional.of("abcdefghij"), Suggestions.closest("xycdefghij", List.of("abcdefghij")));
        assertEquals(Optional.empty(), Suggestions.closest("xyzdefghij", List.of("abcdefghij")));
    }

    @Test
    void aWordOfElevenLettersMayBeThreeEditsAway() {
        assertEquals(Optional.of("abcdefghijk"), Suggestions.closest("xyzdefghijk", List.of("abcdefghijk")));
        assertEquals(Optional.empty(), Suggestions.closest("wxyzefghijk", List.of("abcdefghijk")));
    }

    @Test
    void ofTwoEquallyCloseNamesTheFirstIsSuggested() {
        assertEquals(Optional.of("abd"), Suggestions.closest("abc", List.of("abd", "abe")));
        assertEquals(Optional.of("abe"), Suggestions.closest("abc", List.of("abe", "abd")));
    }

    @Test
    void theDistanceToAMuchShorterOrLongerWordCountsEveryLetter() {
        assertEquals(3, Suggestions.distance("abc", "x"));
        assertEquals(3, Suggestions.distance("x", "abc"));
        assertEquals(3, Suggestions.distance("abc", ""));
        assertEquals(3, Suggestions.distance("", "abc"));
    }

    @Test
    void aValueOfMoreThanEightyCharactersIsShownByItsStartAndLength() {
        String eighty = "a".repeat(80);
        assertEquals("\"" + eighty + "\"", Suggestions.quote(eighty));
        assertEquals("\"" + eighty + "...\" (81 characters)", Suggestions.quote(eighty + "b"));
    }

    @Test
    void aBackslashThatEndsAnOpenDoubleQuoteLeavesItUnterminated() {
        assertEquals("unterminated double quote at character 3", assertThrows(CommandLineSplitter.SplitException.class,
                () -> CommandLineSplitter.split("a \"b\\")).getMessage());
    }
}
