package zdm.client;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The little JSON the fast client speaks, by hand: Jackson, even its streaming API, cost the client
 * ~15 ms of CPU to load and warm. {@link Writer} writes the one request; {@link #fields} reads the
 * flat answers (strings, integers, booleans, nulls; nested values and fractions are skipped, as a
 * newer daemon may add them). FastClientTest and JsonTest hold both to the daemon's codec.
 */
final class Json {
    private Json() {}

    /** Appends JSON text; the caller writes the punctuation between values. */
    static final class Writer {
        private final StringBuilder out = new StringBuilder(4096);

        Writer raw(String text) {
            out.append(text);
            return this;
        }

        Writer string(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                        else out.append(c);
                    }
                }
            }
            out.append('"');
            return this;
        }

        /** {@code "name":} */
        Writer name(String name) {
            return string(name).raw(":");
        }

        byte[] bytes() {
            return toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }

    /** The scalar fields of a JSON object; throws {@link IllegalArgumentException} when it is no object or malformed. */
    static Map<String, Object> fields(byte[] json) {
        return new Reader(new String(json, StandardCharsets.UTF_8)).object();
    }

    private static final class Reader {
        private final String s;
        private int at;

        Reader(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            var fields = new HashMap<String, Object>();
            expect('{');
            if (peek() == '}') {
                at++;
                return end(fields);
            }
            while (true) {
                String name = string();
                expect(':');
                Object value = value();
                if (value != SKIPPED) fields.put(name, value);
                char c = next();
                if (c == '}') return end(fields);
                if (c != ',') throw bad("',' or '}'");
            }
        }

        private Map<String, Object> end(Map<String, Object> fields) {
            if (peek() != 0) throw bad("the end");
            return fields;
        }

        private static final Object SKIPPED = new Object();

        /** A scalar, or {@link #SKIPPED} for an object, array or fraction, read past. */
        private Object value() {
            char c = peek();
            switch (c) {
                case '"' -> {
                    return string();
                }
                case '{', '[' -> {
                    skipNested();
                    return SKIPPED;
                }
                case 't' -> {
                    word("true");
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    word("false");
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    word("null");
                    return null;
                }
                default -> {
                    return number();
                }
            }
        }

        private Object number() {
            int start = at;
            while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) at++;
            String text = s.substring(start, at);
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                Double.parseDouble(text); // a valid fraction is skipped; anything else is malformed
                return SKIPPED;
            }
        }

        private void skipNested() {
            int depth = 0;
            do {
                char c = peek();
                if (c == '"') {
                    string();
                    continue;
                }
                if (c == 0) throw bad("the end of a nested value");
                at++;
                if (c == '{' || c == '[') depth++;
                else if (c == '}' || c == ']') depth--;
            } while (depth > 0);
        }

        private String string() {
            expect('"');
            StringBuilder out = null;
            int run = at;
            while (true) {
                if (at >= s.length()) throw bad("the end of a string");
                char c = s.charAt(at);
                if (c == '"') {
                    String tail = s.substring(run, at++);
                    return out == null ? tail : out.append(tail).toString();
                }
                if (c != '\\') {
                    at++;
                    continue;
                }
                if (out == null) out = new StringBuilder();
                out.append(s, run, at);
                at++;
                char e = at < s.length() ? s.charAt(at++) : 0;
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > s.length()) throw bad("four hex digits");
                        try {
                            out.append((char) Integer.parseInt(s, at, at + 4, 16));
                        } catch (NumberFormatException x) {
                            throw bad("four hex digits");
                        }
                        at += 4;
                    }
                    default -> throw bad("an escape");
                }
                run = at;
            }
        }

        private void word(String w) {
            if (!s.startsWith(w, at)) throw bad(w);
            at += w.length();
        }

        private void expect(char c) {
            if (next() != c) throw bad("'" + c + "'");
        }

        /** The next character that is not white space (consumed), or 0 at the end. */
        private char next() {
            char c = peek();
            if (c != 0) at++;
            return c;
        }

        /** The next character that is not white space (not consumed), or 0 at the end. */
        private char peek() {
            while (at < s.length() && " \t\r\n".indexOf(s.charAt(at)) >= 0) at++;
            return at < s.length() ? s.charAt(at) : 0;
        }

        private IllegalArgumentException bad(String wanted) {
            return new IllegalArgumentException("malformed JSON at " + at + ": expected " + wanted);
        }
    }
}
