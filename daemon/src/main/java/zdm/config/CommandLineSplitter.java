package zdm.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words the way a POSIX shell does, without running a shell.
 *
 * <p>Why hand-written: none of our libraries does this. Java's {@code StringTokenizer} and
 * {@code String.split} know no quoting, picocli splits its own argument files with different rules,
 * and {@code ProcessBuilder} takes a ready argv. Running {@code sh} to split would also expand
 * variables, globs and command substitutions, which is exactly what {@code shell: false} promises
 * not to do.
 *
 * <p>Rules (POSIX "Token Recognition" and "Quoting", minus every expansion): blanks (space, tab,
 * newline) separate words; {@code '...'} is literal; inside {@code "..."} a backslash escapes only
 * {@code $ ` " \} and newline; outside quotes a backslash makes the next character literal and a
 * backslash-newline is removed. Quotes can join parts of a word ({@code a"b c"d} is one word) and
 * {@code ""} is an empty word. {@code $VAR}, {@code *}, {@code ~}, {@code |}, {@code >} etc. are
 * kept as ordinary characters. Stateless.
 */
public final class CommandLineSplitter {

    /** The string cannot be split: an unterminated quote. */
    public static final class SplitException extends Exception {
        public SplitException(String message) {
            super(message, null, false, false);
        }
    }

    private CommandLineSplitter() {}

    public static List<String> split(String line) throws SplitException {
        var words = new ArrayList<String>();
        var word = new StringBuilder();
        boolean inWord = false; // distinguishes an empty word ("") from no word
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            switch (c) {
                case ' ', '\t', '\n' -> {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                    i++;
                }
                case '\'' -> {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0) throw new SplitException("unterminated single quote at character " + (i + 1));
                    word.append(line, i + 1, end);
                    inWord = true;
                    i = end + 1;
                }
                case '"' -> {
                    i = doubleQuoted(line, i, word);
                    inWord = true;
                }
                case '\\' -> {
                    if (i + 1 < line.length()) {
                        if (line.charAt(i + 1) != '\n') {
                            word.append(line.charAt(i + 1));
                            inWord = true;
                        }
                        i += 2;
                    } else { // a trailing backslash has nothing to escape: keep it, like sh does
                        word.append(c);
                        inWord = true;
                        i++;
                    }
                }
                default -> {
                    word.append(c);
                    inWord = true;
                    i++;
                }
            }
        }
        if (inWord) words.add(word.toString());
        return List.copyOf(words);
    }

    /** Appends the content of the double-quoted part starting at {@code open}; returns the index after it. */
    private static int doubleQuoted(String line, int open, StringBuilder word) throws SplitException {
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') return i + 1;
            if (c == '\\' && i + 1 < line.length() && "$`\"\\\n".indexOf(line.charAt(i + 1)) >= 0) {
                if (line.charAt(i + 1) != '\n') word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new SplitException("unterminated double quote at character " + (open + 1));
    }
}
