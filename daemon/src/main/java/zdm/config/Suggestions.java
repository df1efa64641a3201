package zdm.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for mistyped names, by edit distance. Stateless. */
public final class Suggestions {

    private Suggestions() {}

    /**
     * The candidate closest to {@code word}, if it is close enough to be a plausible typo: at most
     * one edit for short words, two for longer ones, three for long ones. Case is ignored.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        int allowed = w.length() <= 4 ? 1 : w.length() <= 10 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(w, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean \"instances\"?"} or the empty string. */
    public static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> "; did you mean " + quote(c) + "?").orElse("");
    }

    /**
     * Edit distance counting insertions, deletions, substitutions and swaps of adjacent characters
     * (Levenshtein plus transpositions, "optimal string alignment"): {@code SIGTREM} is one edit from
     * {@code SIGTERM}, as a typist would expect.
     */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    static final int MAX_QUOTED = 80;

    /** A user value in double quotes, with quotes, backslashes and control characters escaped; long ones cut. */
    static String quote(String s) {
        // An error is one line a person reads: a 10000-character value is shown by its start and its length.
        if (s.length() > MAX_QUOTED) {
            return quote(s.substring(0, MAX_QUOTED)).replaceFirst("\"$", "...\" (" + s.length() + " characters)");
        }
        return "\"" + escaped(s, true) + "\"";
    }

    /**
     * {@code s} with its control characters escaped (a line break as backslash-n, others by their code), so that it
     * cannot break the line it is shown in; with {@code quoted}, double quotes and backslashes too.
     */
    static String escaped(String s, boolean quoted) {
        var out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"', '\\' -> {
                    if (quoted) out.append('\\');
                    out.append(c);
                }
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }
}
