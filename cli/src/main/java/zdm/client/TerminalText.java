package zdm.client;

/**
 * Text from the daemon made safe for a terminal: control characters become visible escapes
 * ({@code \x1b}), so that an answer cannot move the cursor, retitle the window, clear the screen or
 * hide a line. Kept: newline, tab, and colour sequences (SGR, {@code ESC [ digits;... m}), which is
 * all zdm's own answers use (the daemon renders {@code zdm ls} in colour). Stateless.
 */
public final class TerminalText {
    private TerminalText() {}

    public static String safe(String s) {
        if (s == null || !hasControl(s)) return s;
        var out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int sgrEnd = c == 0x1b ? sgrEnd(s, i) : -1;
            if (sgrEnd > 0) {
                out.append(s, i, sgrEnd);
                i = sgrEnd - 1;
            } else if (isControl(c)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A plain loop: the daemon passes each progress line of a start through here (2,000 for 1,000 workers). */
    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) return true;
        }
        return false;
    }

    private static boolean isControl(int c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }

    /** The end (exclusive) of a colour sequence starting at {@code i}, or -1 if there is none. */
    private static int sgrEnd(String s, int i) {
        if (i + 2 >= s.length() || s.charAt(i + 1) != '[') return -1;
        for (int j = i + 2; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == 'm') return j + 1;
            if (!(Character.isDigit(c) || c == ';')) return -1;
        }
        return -1;
    }
}
