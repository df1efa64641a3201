package zdm.net;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A parsed HTTP/1.x request or response head: the start line and header fields, decoded once from the receive
 * buffer (ISO-8859-1, one char per byte, so forwarding re-encodes every byte unchanged). Parsing is strict where a
 * lenient reading could let the backend see a different message than the proxy (header names with whitespace,
 * folded request headers), which is how request smuggling works. Immutable.
 *
 * @param method       request method, or null for a response
 * @param target       request target, or null for a response
 * @param minorVersion the x of HTTP/1.x
 * @param status       response status code, or 0 for a request
 */
record HttpHead(String startLine, List<Header> headers, String method, String target, int minorVersion, int status) {
    /** One header field; {@code line} is the field as received, forwarded as is. */
    record Header(String name, String value, String line) {}

    /** RFC 9110 §9.2.2: PUT, DELETE and the safe methods; a retry of these cannot do anything twice. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    /**
     * A request head, whose lines must end in CRLF exactly: a bare LF or CR is refused (as node does), because a
     * server behind the proxy may split lines differently.
     */
    static HttpHead parseRequest(byte[] bytes, int offset, int length) throws ProtocolException {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n' ? i == offset || bytes[i - 1] != '\r'
                    : bytes[i] == '\r' && (i + 1 == offset + length || bytes[i + 1] != '\n')) {
                throw new ProtocolException("request head line not ended by CRLF");
            }
        }
        var lines = lines(bytes, offset, length);
        int first = 0;
        while (first < lines.size() && lines.get(first).isEmpty()) first++; // RFC 9112 §2.2: ignore leading CRLFs
        if (first == lines.size()) throw new ProtocolException("empty request");
        String requestLine = lines.get(first);
        int space1 = requestLine.indexOf(' ');
        int space2 = requestLine.indexOf(' ', space1 + 1);
        if (space1 <= 0 || space2 <= space1 + 1 || requestLine.indexOf(' ', space2 + 1) >= 0) {
            throw new ProtocolException("malformed request line");
        }
        String method = requestLine.substring(0, space1);
        String target = requestLine.substring(space1 + 1, space2);
        if (!isToken(method, 0, method.length()) || !isVisible(target)) throw new ProtocolException("malformed request line");
        int minor = minorVersion(requestLine, space2 + 1, requestLine.length());
        return new HttpHead(requestLine, headers(lines, first + 1, true), method, target, minor, 0);
    }

    static HttpHead parseResponse(byte[] bytes, int offset, int length) throws ProtocolException {
        var lines = lines(bytes, offset, length);
        String statusLine = lines.getFirst();
        int space = statusLine.indexOf(' ');
        if (space < 0 || statusLine.length() < space + 4
                || (statusLine.length() > space + 4 && statusLine.charAt(space + 4) != ' ')) {
            throw new ProtocolException("malformed status line");
        }
        int minor = minorVersion(statusLine, 0, space);
        int status = 0;
        for (int i = space + 1; i < space + 4; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') throw new ProtocolException("malformed status code");
            status = status * 10 + (c - '0');
        }
        if (status < 100) throw new ProtocolException("malformed status code");
        return new HttpHead(statusLine, headers(lines, 1, false), null, null, minor, status);
    }

    /** Every value of the named field (case-insensitive), in order. */
    List<String> values(String name) {
        var values = new ArrayList<String>(1);
        for (var header : headers) {
            if (header.name().equalsIgnoreCase(name)) values.add(header.value());
        }
        return values;
    }

    boolean has(String name) {
        for (var header : headers) {
            if (header.name().equalsIgnoreCase(name)) return true;
        }
        return false;
    }

    /** Whether the comma-separated list in the named field contains token (case-insensitive). */
    boolean hasToken(String name, String token) {
        for (var header : headers) {
            if (!header.name().equalsIgnoreCase(name)) continue;
            if (listContains(header.value(), token)) return true;
        }
        return false;
    }

    /** Whether an element of the comma-separated list, without its surrounding whitespace, is token (no allocation). */
    private static boolean listContains(String list, String token) {
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            int from = start;
            while (from < end && Character.isWhitespace(list.charAt(from))) from++;
            int to = end;
            while (to > from && Character.isWhitespace(list.charAt(to - 1))) to--;
            if (to - from == token.length() && list.regionMatches(true, from, token, 0, token.length())) return true;
            if (comma < 0) return false;
            start = comma + 1;
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
     */
    byte[] forBackend(String clientAddress) {
        int lastForwardedFor = -1;
        boolean hasProto = false;
        int size = startLine.length() + 64 + clientAddress.length();
        for (int i = 0; i < headers.size(); i++) {
            var header = headers.get(i);
            if (header.name().equalsIgnoreCase("X-Forwarded-For")) lastForwardedFor = i;
            if (header.name().equalsIgnoreCase("X-Forwarded-Proto")) hasProto = true;
            size += header.line().length() + 2;
        }
        var out = new StringBuilder(size).append(startLine).append("\r\n");
        for (int i = 0; i < headers.size(); i++) {
            var header = headers.get(i);
            if (i == lastForwardedFor) {
                out.append(header.name()).append(": ").append(header.value());
                if (!header.value().isEmpty()) out.append(", ");
                out.append(clientAddress);
            } else {
                out.append(header.line());
            }
            out.append("\r\n");
        }
        if (lastForwardedFor < 0) out.append("X-Forwarded-For: ").append(clientAddress).append("\r\n");
        if (!hasProto) out.append("X-Forwarded-Proto: http\r\n");
        return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> lines(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        var lines = new ArrayList<String>(16);
        int start = 0;
        for (int lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', start)) {
            int end = lf > start && text.charAt(lf - 1) == '\r' ? lf - 1 : lf;
            lines.add(text.substring(start, end));
            start = lf + 1;
        }
        while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast(); // the head's closing empty line
        if (lines.isEmpty()) lines.add("");
        return lines;
    }

    private static List<Header> headers(List<String> lines, int from, boolean request) throws ProtocolException {
        var headers = new ArrayList<Header>(lines.size() - from);
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                // Obsolete line folding (RFC 9112 §5.2): a request may be rejected; a response is unfolded.
                if (request || headers.isEmpty()) throw new ProtocolException("folded header line");
                var previous = headers.removeLast();
                String value = previous.value() + " " + line.strip();
                headers.add(new Header(previous.name(), value, previous.name() + ": " + value));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, 0, colon)) throw new ProtocolException("malformed header line");
            headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip(), line));
        }
        return headers;
    }

    private static int minorVersion(String line, int from, int to) throws ProtocolException {
        if (to - from != 8 || !line.startsWith("HTTP/1.", from)) throw new ProtocolException("not HTTP/1.x");
        char minor = line.charAt(from + 7);
        if (minor < '0' || minor > '9') throw new ProtocolException("not HTTP/1.x");
        return minor - '0';
    }

    /** RFC 9110 §5.6.2 token characters. */
    static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || (c > ' ' && c < 127 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    private static boolean isToken(String text, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            if (!isTokenChar(text.charAt(i))) return false;
        }
        return true;
    }

    private static boolean isVisible(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 127) return false; // bytes >= 0x80 pass: raw UTF-8 paths exist in the wild
        }
        return true;
    }
}
