package zdm.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The head parser reads heads where they lie, without decoding them; these cases hold it to a plain reading of the same
 * rules written with strings (lines split at LF, fields split at the first colon, values stripped, lists split as
 * {@code String.split(",")} splits them): random heads built from the pieces where parsers differ (CR and LF alone,
 * folding, whitespace that {@link Character#isWhitespace} counts and bytes above 0x7F, commas, the framing fields)
 * must give the same verdict, values, framing and forwarded head.
 */
class HttpHeadReferenceTest {
    private static final String[] PIECES = {"GET", "POST", "HEAD", "PUT", "CONNECT", "HTTP/1.1", "HTTP/1.0", "HTTP/1.x",
            "200", "204", "101", "/p", " ", "  ", "\t", ":", ",", ", ", ",", "\r", "\n", "\r\n", "\u001c",
            "\u00a0", "\u0085", "\u00ff", "5", "12", "0", "x", "Content-Length", "content-length", "Transfer-Encoding",
            "chunked", "Chunked", "gzip", "Connection", "close", "keep-alive", "Keep-Alive", "Expect", "100-continue",
            "X-Forwarded-For", "x-forwarded-for", "X-Forwarded-Proto", "Host", "a", "5", "5", "12", " ", ",", "chunked"};
    private static final String[] NAMES = {"Content-Length", "Transfer-Encoding", "Connection", "Expect",
            "X-Forwarded-For", "X-Forwarded-Proto", "Host", "A", "content-length", "transfer-encoding"};

    @Test
    void randomHeadsReadAsTheStringReadingReadsThem() {
        var random = new Random(13);
        for (int n = 0; n < 20_000; n++) {
            String request = head(random, "GET /p HTTP/1.1", "POST / HTTP/1.0");
            String response = head(random, "HTTP/1.1 200 OK", "HTTP/1.0 204");
            assertEquals(Reference.request(request), actualRequest(request), () -> "request " + shown(request));
            assertEquals(Reference.response(response), actualResponse(response), () -> "response " + shown(response));
        }
    }

    /** A start line (now and then of random pieces), fields of a known name or not, some folded, some lines odd. */
    private static String head(Random random, String... startLines) {
        var text = new StringBuilder(random.nextInt(12) == 0 ? "\r\n" : ""); // a leading empty line
        if (random.nextInt(10) == 0) text.append(pieces(random, 5));
        else text.append(startLines[random.nextInt(startLines.length)]);
        text.append("\r\n");
        for (int fields = random.nextInt(7); fields > 0; fields--) {
            if (random.nextInt(10) == 0) text.append(random.nextBoolean() ? " " : "\t");
            else text.append(random.nextInt(8) == 0 ? pieces(random, 2) : NAMES[random.nextInt(NAMES.length)]).append(':');
            text.append(pieces(random, 5)).append(random.nextInt(20) == 0 ? "\n" : "\r\n");
        }
        return text.append(random.nextInt(20) == 0 ? "\n" : "\r\n").toString();
    }

    private static String pieces(Random random, int most) {
        var text = new StringBuilder();
        for (int i = random.nextInt(most + 1); i > 0; i--) text.append(PIECES[random.nextInt(PIECES.length)]);
        return text.toString();
    }

    private static String shown(String head) {
        return head.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static String actualRequest(String text) {
        try {
            var bytes = ("!" + text + "!").getBytes(ISO_8859_1); // read where it lies: bytes around it are not part of it
            var head = HttpHead.parseRequest(bytes, 1, bytes.length - 2);
            var values = new ArrayList<List<String>>();
            for (var name : NAMES) values.add(head.values(name));
            return head.method() + " " + head.target() + " 1." + head.minorVersion() + " " + values + " "
                    + head.closesConnection() + head.expectsContinue() + head.isIdempotent() + head.isConnect() + " "
                    + framing(() -> HttpFraming.ofRequest(head)) + " " + new String(head.forBackend("10.1.2.3"), ISO_8859_1);
        } catch (ProtocolException e) {
            return "refused";
        }
    }

    private static String actualResponse(String text) {
        try {
            var bytes = text.getBytes(ISO_8859_1);
            var head = HttpHead.parseResponse(bytes, 0, bytes.length);
            var get = HttpHead.parseRequest("GET / HTTP/1.1\r\n\r\n".getBytes(ISO_8859_1), 0, 18);
            var values = new ArrayList<List<String>>();
            for (var name : NAMES) values.add(head.values(name));
            return head.status() + " 1." + head.minorVersion() + " " + values + " " + head.closesConnection() + " "
                    + framing(() -> HttpFraming.ofResponse(head, get));
        } catch (ProtocolException e) {
            return "refused";
        }
    }

    interface Framing {
        HttpFraming get() throws ProtocolException;
    }

    static String framing(Framing framing) {
        try {
            return String.valueOf(framing.get());
        } catch (ProtocolException e) {
            return "bad framing";
        }
    }

    /** The same rules read with strings, as the parser read them before it read bytes in place. */
    private static final class Reference {
        record Field(String name, String value, String line) {}

        static String request(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' ? i == 0 || text.charAt(i - 1) != '\r' : c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                    return "refused";
                }
            }
            var lines = lines(text);
            int first = 0;
            while (first < lines.size() && lines.get(first).isEmpty()) first++;
            if (first == lines.size()) return "refused";
            String line = lines.get(first);
            int s1 = line.indexOf(' '), s2 = line.indexOf(' ', s1 + 1);
            if (s1 <= 0 || s2 <= s1 + 1 || line.indexOf(' ', s2 + 1) >= 0) return "refused";
            String method = line.substring(0, s1), target = line.substring(s1 + 1, s2);
            if (!token(method) || !target.chars().allMatch(c -> c > ' ' && c != 127)) return "refused";
            int minor = minor(line.substring(s2 + 1));
            var fields = fields(lines.subList(first + 1, lines.size()), true);
            if (minor < 0 || fields == null) return "refused";
            var values = new ArrayList<List<String>>();
            for (var name : NAMES) values.add(values(fields, name));
            boolean closes = closes(fields, minor);
            boolean expects = has(fields, "Expect", "100-continue");
            boolean idempotent = List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE").contains(method);
            String framing;
            if (!values(fields, "Transfer-Encoding").isEmpty()) {
                framing = !values(fields, "Content-Length").isEmpty() || !chunkedLast(fields) ? "bad framing" : "Chunked[]";
            } else {
                long length = length(fields);
                framing = length == -2 ? "bad framing" : length <= 0 ? "None[]" : "Length[bytes=" + length + "]";
            }
            return method + " " + target + " 1." + minor + " " + values + " " + closes + expects + idempotent
                    + "CONNECT".equals(method) + " " + framing + " " + forwarded(line, fields, "10.1.2.3");
        }

        static String response(String text) {
            var lines = lines(text);
            String line = lines.getFirst();
            int space = line.indexOf(' ');
            if (space < 0 || line.length() < space + 4 || (line.length() > space + 4 && line.charAt(space + 4) != ' ')) return "refused";
            int minor = minor(line.substring(0, space));
            String code = line.substring(space + 1, space + 4);
            if (minor < 0 || !code.chars().allMatch(c -> c >= '0' && c <= '9') || code.charAt(0) == '0') return "refused";
            int status = Integer.parseInt(code);
            var fields = fields(lines.subList(1, lines.size()), false);
            if (fields == null) return "refused";
            var values = new ArrayList<List<String>>();
            for (var name : NAMES) values.add(values(fields, name));
            String framing;
            if (status < 200 || status == 204 || status == 304) framing = "None[]";
            else if (!values(fields, "Transfer-Encoding").isEmpty()) framing = chunkedLast(fields) ? "Chunked[]" : "UntilClose[]";
            else {
                long length = length(fields);
                framing = length == -2 ? "bad framing" : length == -1 ? "UntilClose[]" : length == 0 ? "None[]" : "Length[bytes=" + length + "]";
            }
            return status + " 1." + minor + " " + values + " " + closes(fields, minor) + " " + framing;
        }

        static List<String> lines(String text) {
            var lines = new ArrayList<String>();
            int start = 0;
            for (int lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', start)) {
                lines.add(text.substring(start, lf > start && text.charAt(lf - 1) == '\r' ? lf - 1 : lf));
                start = lf + 1;
            }
            while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
            if (lines.isEmpty()) lines.add("");
            return lines;
        }

        static List<Field> fields(List<String> lines, boolean request) {
            var fields = new ArrayList<Field>();
            for (String line : lines) {
                if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                    if (request || fields.isEmpty()) return null;
                    var previous = fields.removeLast();
                    String value = previous.value() + " " + line.strip();
                    fields.add(new Field(previous.name(), value, previous.name() + ": " + value));
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !token(line.substring(0, colon))) return null;
                String raw = line.substring(colon + 1);
                if (request && line.substring(0, colon).equalsIgnoreCase("Transfer-Encoding")
                        && raw.chars().allMatch(c -> c == ' ' || c == '\t')) {
                    continue; // as node ignores it, and left out of the forwarded head
                }
                fields.add(new Field(line.substring(0, colon), line.substring(colon + 1).strip(), line));
            }
            return fields;
        }

        static int minor(String version) {
            return version.length() == 8 && version.startsWith("HTTP/1.") && Character.isDigit(version.charAt(7))
                    && version.charAt(7) < 128 ? version.charAt(7) - '0' : -1;
        }

        static boolean token(String text) {
            return !text.isEmpty() && text.chars().allMatch(HttpHead::isTokenChar);
        }

        static List<String> values(List<Field> fields, String name) {
            return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).toList();
        }

        static boolean has(List<Field> fields, String name, String token) {
            return values(fields, name).stream().anyMatch(v -> {
                for (var element : v.split(",", -1)) if (element.strip().equalsIgnoreCase(token)) return true;
                return false;
            });
        }

        static boolean closes(List<Field> fields, int minor) {
            return has(fields, "Connection", "close") || (minor == 0 && !has(fields, "Connection", "keep-alive"));
        }

        static boolean chunkedLast(List<Field> fields) {
            var codings = String.join(",", values(fields, "Transfer-Encoding")).split(",");
            return codings.length > 0 && codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
        }

        /** The length, -1 if none, -2 if malformed or conflicting. */
        static long length(List<Field> fields) {
            long length = -1;
            for (var value : values(fields, "Content-Length")) {
                for (var element : value.split(",")) {
                    String digits = element.strip();
                    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) return -2;
                    long parsed = Long.parseLong(digits);
                    if (length >= 0 && parsed != length) return -2;
                    length = parsed;
                }
            }
            return length;
        }

        static String forwarded(String startLine, List<Field> fields, String client) {
            int last = -1;
            boolean proto = false;
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().equalsIgnoreCase("X-Forwarded-For")) last = i;
                if (fields.get(i).name().equalsIgnoreCase("X-Forwarded-Proto")) proto = true;
            }
            var out = new StringBuilder(startLine).append("\r\n");
            for (int i = 0; i < fields.size(); i++) {
                var f = fields.get(i);
                if (i == last) out.append(f.name()).append(": ").append(f.value()).append(f.value().isEmpty() ? "" : ", ").append(client);
                else out.append(f.line());
                out.append("\r\n");
            }
            if (last < 0) out.append("X-Forwarded-For: ").append(client).append("\r\n");
            if (!proto) out.append("X-Forwarded-Proto: http\r\n");
            return out.append("\r\n").toString();
        }
    }
}
