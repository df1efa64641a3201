package zdm.net;

import java.net.ProtocolException;

/**
 * The header fields of a head as {@link HttpHead} parses them: where each field's line, colon and value lie in the
 * received bytes, and, for a response with folded lines, the unfolded values written after those bytes. A request's
 * folded line is refused (RFC 9112 §5.2 allows either), because a server behind the proxy may read it differently.
 * Read again for every head its {@link HttpHead} parses: its array is kept from one head to the next (so a keep-alive
 * connection's heads cost no array each), up to {@link #KEPT_LINES} lines; a head with more gets an array that the
 * next head gives up. Not thread-safe: one per head parser.
 */
final class HeadFields {
    /** Per field in {@link #slots}: where its line starts and ends (before its CRLF), its colon, its value's range. */
    static final int LINE = 0, LINE_END = 1, COLON = 2, VALUE = 3, VALUE_END = 4, SLOTS = 5;
    /** Lines whose slots are kept for the next head (a head's fields and its empty line): 2.5 KiB of ints at most. */
    static final int KEPT_LINES = 128;
    private static final int[] NONE = new int[0];

    int[] slots = NONE;
    int count;
    /** How many of a request's lines were left out (see {@link #isBlankCoding}): its head is then copied field by field. */
    int leftOut;
    /** The unfolded values of a response's folded fields, in the order written; null while there is none. */
    HeadBytes.Writer unfolded;

    /**
     * Reads the fields of the lines ended by a LF in {@code [from, end)}, each without its LF and the CR before it
     * (bytes after the last LF are no line), in place of the previous head's. The empty lines that close a head are
     * not fields; one followed by a field is a malformed field. @return this
     */
    HeadFields read(byte[] bytes, int from, int end, boolean request) throws ProtocolException {
        int lines = 0;
        for (int i = from; i < end; i++) if (bytes[i] == '\n') lines++;
        slotsFor(lines);
        count = 0;
        leftOut = 0;
        unfolded = null;
        boolean emptySeen = false;
        int start = from;
        for (int lf = HeadBytes.indexOf(bytes, start, end, '\n'); lf >= 0; lf = HeadBytes.indexOf(bytes, start, end, '\n')) {
            int to = lf > start && bytes[lf - 1] == '\r' ? lf - 1 : lf;
            if (to == start) {
                emptySeen = true;
            } else if (emptySeen) {
                throw new ProtocolException("malformed header line");
            } else {
                add(bytes, start, to, request);
            }
            start = lf + 1;
        }
        return this;
    }

    /** Room for {@code lines} fields: the kept array if it has it, grown in powers of two up to {@link #KEPT_LINES}. */
    private void slotsFor(int lines) {
        int kept = slots.length / SLOTS;
        if (lines <= kept && (kept <= KEPT_LINES || lines > KEPT_LINES)) return;
        slots = new int[HeadCopies.keptSize(lines, KEPT_LINES, 1) * SLOTS];
    }

    private void add(byte[] bytes, int from, int to, boolean request) throws ProtocolException {
        if (from < to && (bytes[from] == ' ' || bytes[from] == '\t')) {
            // Obsolete line folding (RFC 9112 §5.2): a request may be rejected; a response is unfolded, its value
            // (the previous one, a space, this line stripped) written after the head's bytes.
            if (request || count == 0) throw new ProtocolException("folded header line");
            int at = (count - 1) * SLOTS;
            if (unfolded == null) unfolded = new HeadBytes.Writer(64);
            int start = bytes.length + unfolded.size();
            unfolded.copyValue(bytes, slots[at + VALUE], slots[at + VALUE_END]).ascii(" ");
            int rest = HeadBytes.skipWhitespace(bytes, from, to);
            unfolded.copy(bytes, rest, HeadBytes.trimWhitespace(bytes, rest, to));
            slots[at + VALUE] = start;
            slots[at + VALUE_END] = bytes.length + unfolded.size();
            return;
        }
        int colon = HeadBytes.indexOf(bytes, from, to, ':');
        if (colon <= from || !HeadBytes.isToken(bytes, from, colon)) throw new ProtocolException("malformed header line");
        if (request && isBlankCoding(bytes, from, colon, to)) {
            leftOut++;
            return;
        }
        int at = count++ * SLOTS;
        slots[at + LINE] = from;
        slots[at + LINE_END] = to;
        slots[at + COLON] = colon;
        int value = HeadBytes.skipWhitespace(bytes, colon + 1, to);
        slots[at + VALUE] = value;
        slots[at + VALUE_END] = HeadBytes.trimWhitespace(bytes, value, to);
    }

    /**
     * A {@code Transfer-Encoding} field with nothing but spaces and tabs after its colon, which node's parser ignores
     * (a Content-Length beside it counts, and a {@code chunked} in another field). The proxy leaves it out of the
     * request, for its framing and for the head the worker gets, so the worker cannot read the body differently (a
     * server that took any Transfer-Encoding for chunked would). A value of other whitespace or commas is refused.
     */
    private static boolean isBlankCoding(byte[] bytes, int from, int colon, int to) {
        if (!HeadBytes.equalsIgnoreCase(bytes, from, colon, "Transfer-Encoding")) return false;
        for (int i = colon + 1; i < to; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t') return false;
        }
        return true;
    }
}
