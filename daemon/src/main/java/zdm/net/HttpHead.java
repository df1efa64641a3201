package zdm.net;

import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static zdm.net.HeadFields.COLON;
import static zdm.net.HeadFields.LINE;
import static zdm.net.HeadFields.LINE_END;
import static zdm.net.HeadFields.SLOTS;
import static zdm.net.HeadFields.VALUE;
import static zdm.net.HeadFields.VALUE_END;

/**
 * A parsed HTTP/1.x request or response head: the start line and the positions of its header fields in the bytes it
 * was read from (ISO-8859-1, one char per byte). Nothing is decoded that the proxy does not ask for: a field is found
 * and compared where it lies ({@link HeadBytes}), so relaying a request and its response allocates a few small
 * objects rather than a string per line and per field. Parsing is strict where a lenient reading could let the backend
 * see a different message than the proxy (header names with whitespace, folded request headers), which is how request
 * smuggling works. Reusable: a connection parses each of its request heads into one {@code HttpHead}, and each of its
 * response heads into another ({@link HeadCopies}), so a keep-alive request costs no parser objects; a head is read
 * only while its exchange lasts, and the next head of its kind is parsed after that exchange has ended. The bytes
 * given to a parse must not change while the head is read.
 */
final class HttpHead {
    /** RFC 9110 §9.2.2: PUT, DELETE and the safe methods; a retry of these cannot do anything twice. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    /** The fields of the last head parsed, read in place of the previous one's. */
    private final HeadFields parsed = new HeadFields();
    /** The head's bytes; a response with folded lines has its unfolded values appended after them. */
    private byte[] bytes;
    private int startLine, startLineEnd;
    /** Each field's positions, {@link HeadFields#SLOTS} ints per field. */
    private int[] fields;
    private int count;
    /** Whether lines of the request were left out of {@link #fields} (see {@link HeadFields}). */
    private boolean linesLeftOut;
    private String method;
    private int target, targetEnd;
    private int minorVersion;
    private int status;

    private void set(byte[] bytes, int startLine, int startLineEnd, String method, int target, int targetEnd,
                     int minorVersion, int status) {
        this.bytes = bytes;
        this.startLine = startLine;
        this.startLineEnd = startLineEnd;
        this.fields = parsed.slots;
        this.count = parsed.count;
        this.linesLeftOut = parsed.leftOut > 0;
        this.method = method;
        this.target = target;
        this.targetEnd = targetEnd;
        this.minorVersion = minorVersion;
        this.status = status;
    }

    /** A request head, parsed into a head of its own (see {@link #readRequest}). */
    static HttpHead parseRequest(byte[] bytes, int offset, int length) throws ProtocolException {
        return new HttpHead().readRequest(bytes, offset, length);
    }

    /** A response head, parsed into a head of its own (see {@link #readResponse}). */
    static HttpHead parseResponse(byte[] bytes, int offset, int length) throws ProtocolException {
        return new HttpHead().readResponse(bytes, offset, length);
    }

    /**
     * Parses a request head into this one, in place of what it held (after a failure, it holds nothing usable). Its
     * lines must end in CRLF exactly: a bare LF or CR is refused (as node does), because a server behind the proxy may
     * split lines differently. @return this
     */
    HttpHead readRequest(byte[] bytes, int offset, int length) throws ProtocolException {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n' ? i == offset || bytes[i - 1] != '\r'
                    : bytes[i] == '\r' && (i + 1 == end || bytes[i + 1] != '\n')) {
                throw new ProtocolException("request head line not ended by CRLF");
            }
        }
        int from = offset;
        while (from + 2 <= end && HeadBytes.startsWith(bytes, from, "\r\n")) from += 2; // RFC 9112 §2.2: leading CRLFs
        int lf = HeadBytes.indexOf(bytes, from, end, '\n');
        if (lf < 0) throw new ProtocolException("empty request");
        int to = lf - 1; // the line's CR
        int space1 = HeadBytes.indexOf(bytes, from, to, ' ');
        int space2 = space1 < 0 ? -1 : HeadBytes.indexOf(bytes, space1 + 1, to, ' ');
        if (space1 <= from || space2 <= space1 + 1 || HeadBytes.indexOf(bytes, space2 + 1, to, ' ') >= 0) {
            throw new ProtocolException("malformed request line");
        }
        if (!HeadBytes.isToken(bytes, from, space1) || !HeadBytes.isVisible(bytes, space1 + 1, space2)) {
            throw new ProtocolException("malformed request line");
        }
        int minor = minorVersion(bytes, space2 + 1, to);
        parsed.read(bytes, lf + 1, end, true);
        set(bytes, from, to, HeadBytes.method(bytes, from, space1), space1 + 1, space2, minor, 0);
        return this;
    }

    /**
     * Parses a response head into this one, in place of what it held (after a failure, it holds nothing usable); its
     * lines may end in LF alone, and folded lines are unfolded. @return this
     */
    HttpHead readResponse(byte[] bytes, int offset, int length) throws ProtocolException {
        int end = offset + length;
        int from = offset;
        int lf = HeadBytes.indexOf(bytes, from, end, '\n');
        int to = lf < 0 ? from : lf > from && bytes[lf - 1] == '\r' ? lf - 1 : lf; // no line at all reads as an empty one
        int space = HeadBytes.indexOf(bytes, from, to, ' ');
        if (space < 0 || to - from < space - from + 4 || (to - from > space - from + 4 && bytes[space + 4] != ' ')) {
            throw new ProtocolException("malformed status line");
        }
        int minor = minorVersion(bytes, from, space);
        int status = 0;
        for (int i = space + 1; i < space + 4; i++) {
            byte c = bytes[i];
            if (c < '0' || c > '9') throw new ProtocolException("malformed status code");
            status = status * 10 + (c - '0');
        }
        if (status < 100) throw new ProtocolException("malformed status code");
        parsed.read(bytes, lf + 1, end, false);
        byte[] all = parsed.unfolded == null ? bytes : parsed.unfolded.appendedTo(bytes);
        set(all, from, to, null, -1, -1, minor, status);
        return this;
    }

    /** Request method, or null for a response. */
    String method() {
        return method;
    }

    /** Request target, or null for a response. */
    String target() {
        return method == null ? null : HeadBytes.text(bytes, target, targetEnd);
    }

    /** The x of HTTP/1.x. */
    int minorVersion() {
        return minorVersion;
    }

    /** Response status code, or 0 for a request. */
    int status() {
        return status;
    }

    /** How many header fields there are; each is numbered from 0 in the order received. */
    int fieldCount() {
        return count;
    }

    /** Whether field {@code i} has this name (case-insensitive). */
    boolean isNamed(int i, String name) {
        int at = i * SLOTS;
        return HeadBytes.equalsIgnoreCase(bytes, fields[at + LINE], fields[at + COLON], name);
    }

    /** Field {@code i}'s value, without the whitespace around it: where it starts in {@link #bytes()}. */
    int valueStart(int i) {
        return fields[i * SLOTS + VALUE];
    }

    int valueEnd(int i) {
        return fields[i * SLOTS + VALUE_END];
    }

    /** The bytes the positions refer to; read only. */
    byte[] bytes() {
        return bytes;
    }

    /** Every value of the named field (case-insensitive), in order. */
    List<String> values(String name) {
        var values = new ArrayList<String>(1);
        for (int i = 0; i < count; i++) {
            if (isNamed(i, name)) values.add(HeadBytes.text(bytes, valueStart(i), valueEnd(i)));
        }
        return values;
    }

    boolean has(String name) {
        for (int i = 0; i < count; i++) {
            if (isNamed(i, name)) return true;
        }
        return false;
    }

    /** Whether the comma-separated list in the named field contains token (case-insensitive). */
    boolean hasToken(String name, String token) {
        for (int i = 0; i < count; i++) {
            if (isNamed(i, name) && HeadBytes.listContains(bytes, valueStart(i), valueEnd(i), token)) return true;
        }
        return false;
    }

    /** The sender will close the connection after this message (RFC 9112 §9.3). */
    boolean closesConnection() {
        return hasToken("Connection", "close") || (minorVersion == 0 && !hasToken("Connection", "keep-alive"));
    }

    boolean isIdempotent() {
        return IDEMPOTENT.contains(method);
    }

    boolean isConnect() {
        return "CONNECT".equals(method);
    }

    boolean expectsContinue() {
        return hasToken("Expect", "100-continue");
    }

    /**
     * The request head as the backend gets it: every field as received, plus the client's address appended to
     * X-Forwarded-For (to the last such field, which is where a list continues) and X-Forwarded-Proto if absent.
     * The lines are copied as they are (a request's lines all end in CRLF, see {@link #parseRequest}), except those
     * {@link HeadFields} left out. Into a writer of its own (a connection writes into the one its exchange keeps).
     */
    byte[] forBackend(String clientAddress) {
        var out = new HeadBytes.Writer(0);
        forBackend(clientAddress, out);
        return out.toArray();
    }

    /**
     * Writes the head as the worker gets it (see {@link #forBackend(String)}) into {@code out}, emptied first. Its size
     * is worked out beforehand, so a writer whose array is large enough does not grow.
     */
    void forBackend(String clientAddress, HeadBytes.Writer out) {
        int lastForwardedFor = -1;
        boolean hasProto = false;
        for (int i = 0; i < count; i++) {
            if (isNamed(i, "X-Forwarded-For")) lastForwardedFor = i;
            if (isNamed(i, "X-Forwarded-Proto")) hasProto = true;
        }
        int end = count == 0 ? startLineEnd + 2 : fields[(count - 1) * SLOTS + LINE_END] + 2;
        int size = end - startLine + clientAddress.length() + (hasProto ? 2 : 27);
        if (lastForwardedFor < 0) {
            size += 19;
        } else { // the replaced line's text after its name: ": ", the value, ", " if it has one, the address
            int at = lastForwardedFor * SLOTS;
            int value = fields[at + VALUE_END] - fields[at + VALUE];
            size += 2 + value + (value > 0 ? 2 : 0) - (fields[at + LINE_END] - fields[at + COLON]);
        }
        out.reset(size);
        if (lastForwardedFor < 0) {
            copyLines(out, startLine, end).ascii("X-Forwarded-For: ").ascii(clientAddress).crlf();
        } else {
            int at = lastForwardedFor * SLOTS;
            copyLines(out, startLine, fields[at + LINE]).copy(bytes, fields[at + LINE], fields[at + COLON]).ascii(": ")
                    .copy(bytes, fields[at + VALUE], fields[at + VALUE_END]);
            if (fields[at + VALUE_END] > fields[at + VALUE]) out.ascii(", ");
            copyLines(out.ascii(clientAddress).crlf(), fields[at + LINE_END] + 2, end);
        }
        if (!hasProto) out.ascii("X-Forwarded-Proto: http").crlf();
        out.crlf();
        // Exact, unless lines were left out (then counted, not written): a head sized short would grow the writer.
        assert linesLeftOut ? out.size() <= size : out.size() == size
                : "the head for the worker was sized " + size + " and is " + out.size() + " bytes";
    }

    /**
     * The head's lines that start in {@code [from, to)}, as received: one copy, unless lines were left out of the
     * fields, which are then skipped.
     */
    private HeadBytes.Writer copyLines(HeadBytes.Writer out, int from, int to) {
        if (!linesLeftOut) return out.copy(bytes, from, to);
        if (from == startLine) out.copy(bytes, startLine, startLineEnd + 2);
        for (int i = 0; i < count; i++) {
            int line = fields[i * SLOTS + LINE];
            if (line >= from && line < to) out.copy(bytes, line, fields[i * SLOTS + LINE_END] + 2);
        }
        return out;
    }

    private static int minorVersion(byte[] bytes, int from, int to) throws ProtocolException {
        if (to - from != 8 || !HeadBytes.startsWith(bytes, from, "HTTP/1.")) throw new ProtocolException("not HTTP/1.x");
        byte minor = bytes[from + 7];
        if (minor < '0' || minor > '9') throw new ProtocolException("not HTTP/1.x");
        return minor - '0';
    }

    /** RFC 9110 §5.6.2 token characters. */
    static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || (c > ' ' && c < 127 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }
}
