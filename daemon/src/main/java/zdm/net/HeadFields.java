package zdm.net;

import java.net.ProtocolException;

/**
 * The header fields of a head as {@link HttpHead} parses them: where each field's line, colon and value lie in the
 * received bytes, and, for a response with folded lines, the unfolded values written after those bytes. A request's
 * folded line is refused (RFC 9112 §5.2 allows either), because a server behind the proxy may read it differently.
 */
final class HeadFields {
    /** Per field in {@link #slots}: where its line starts and ends (before its CRLF), its colon, its value's range. */
    static final int LINE = 0, LINE_END = 1, COLON = 2, VALUE = 3, VALUE_END = 4, SLOTS = 5;

    final int[] slots;
    int count;
    /** How many of a request's lines were left out (see {@link #isBlankCoding}): its head is then copied field by field. */
    int leftOut;
    /** The unfolded values of a response's folded fields, in the order written; null while there is none. */
    HeadBytes.Writer unfolded;

    private HeadFields(int lines) {
        slots = new int[lines * SLOTS];
    }

    /**
     * The fields of the lines ended by a LF in {@code [from, end)}, each without its LF and the CR before it (bytes
     * after the last LF are no line). The empty lines that close a head are not fields; one followed by a field is
     * a malformed field.
     */
    static HeadFields read(byte[] bytes, int from, int end, boolean request) throws ProtocolException {
        int lines = 0;
        for (int i = from; i < end; i++) if (bytes[i] == '\n') lines++;
        var fields = new HeadFields(lines);
        boolean emptySeen = false;
        int start = from;
        for (int lf = HeadBytes.indexOf(bytes, start, end, '\n'); lf >= 0; lf = HeadBytes.indexOf(bytes, start, end, '\n')) {
            int to = lf > start && bytes[lf - 1] == '\r' ? lf - 1 : lf;
            if (to == start) {
                emptySeen = true;
            } else if (emptySeen) {
                throw new ProtocolException("malformed header line");
            } else {
                fields.add(bytes, start, to, request);
            }
            start = lf + 1;
        }
        return fields;
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
