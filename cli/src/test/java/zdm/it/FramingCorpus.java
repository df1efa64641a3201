package zdm.it;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Malformed and tricky HTTP/1.x requests, each sent on a fresh connection, whose verdict (the statuses answered, and
 * whether the server closed the connection) must be the same from node's own http server alone and from node behind
 * zdm's proxy. Covers request-line and header syntax, line ends, Content-Length and Transfer-Encoding (the smuggling
 * cases, blank and empty codings among them), chunk sizes, chunk and trailer line ends, head sizes, pipelining and a
 * worker's {@code Connection: close}.
 */
final class FramingCorpus {
    private FramingCorpus() {}

    /** The requests by name, as bytes (each char of the strings is one byte). */
    static Map<String, byte[]> requests() {
        var bytes = new TreeMap<String, byte[]>();
        TEXT.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.ISO_8859_1)));
        return bytes;
    }

    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry("leading_lf", "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("get", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("http10", "GET / HTTP/1.0\r\n\r\n"),
            Map.entry("post_cl", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"),
            Map.entry("chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("chunk_ext", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\n\r\n"),
            Map.entry("trailers", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"),
            Map.entry("leading_crlf", "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("nospace_colon", "GET / HTTP/1.1\r\nHost:x\r\n\r\n"),
            Map.entry("trailing_ws", "GET / HTTP/1.1\r\nHost: x  \r\n\r\n"),
            Map.entry("absolute", "GET http://x/a HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("options_star", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("head", "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("cl0", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
            Map.entry("hex_upper", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"),
            Map.entry("hex_zeros", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0005\r\nhello\r\n0\r\n\r\n"),
            Map.entry("lf_only", "GET / HTTP/1.1\nHost: x\n\n"),
            Map.entry("lf_mixed", "GET / HTTP/1.1\r\nHost: x\n\r\n"),
            Map.entry("lf_reqline", "GET / HTTP/1.1\nHost: x\r\n\r\n"),
            Map.entry("lf_end", "GET / HTTP/1.1\r\nHost: x\r\n\n"),
            Map.entry("bare_cr", "GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n"),
            Map.entry("cl_te", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("dup_cl_diff", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhelloo"),
            Map.entry("dup_cl_same", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
            Map.entry("cl_list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello"),
            Map.entry("cl_neg", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
            Map.entry("cl_plus", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello"),
            Map.entry("cl_alpha", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
            Map.entry("cl_huge", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            Map.entry("cl_space_inside", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1 0\r\n\r\n0123456789"),
            Map.entry("te_double", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("te_blank", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n\r\n"),
            Map.entry("te_blank_tab", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \t \r\n\r\n"),
            Map.entry("te_blank_cl", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \r\nContent-Length: 5\r\n\r\nhello"),
            Map.entry("te_blank_then_chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("te_chunked_then_blank", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding:\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("te_blank_pipelined", "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("te_comma", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ,\r\n\r\n"),
            Map.entry("te_commas_cl", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: , ,\r\nContent-Length: 5\r\n\r\nhello"),
            Map.entry("te_comma_chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ,chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("te_vtab", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \u000b\r\n\r\n"),
            Map.entry("te_identity", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n"),
            Map.entry("te_xchunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("te_not_last", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("te_gzip_chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("te_two_fields", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("te_space_name", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("te_http10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("obs_fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"),
            Map.entry("space_before_colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n"),
            Map.entry("bad_name_char", "GET / HTTP/1.1\r\nHost: x\r\nX(A): 1\r\n\r\n"),
            Map.entry("no_colon", "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"),
            Map.entry("empty_name", "GET / HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n"),
            Map.entry("double_space", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("no_version", "GET /\r\nHost: x\r\n\r\n"),
            Map.entry("http20", "GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
            Map.entry("http12", "GET / HTTP/1.2\r\nHost: x\r\n\r\n"),
            Map.entry("lower_version", "GET / http/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("lower_method", "get / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("bad_method", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("unknown_method", "FOO / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("tab_in_target", "GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("utf8_target", "GET /\u00c3\u00a9 HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("nul_value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"),
            Map.entry("ctl_value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n"),
            Map.entry("big_header", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20000) + "\r\n\r\n"),
            Map.entry("big_target", "GET /" + "a".repeat(20000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("mid_header", "GET / HTTP/1.1\r\nHost: x\r\nX-M: " + "a".repeat(8000) + "\r\n\r\n"),
            Map.entry("bad_chunk_size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
            Map.entry("chunk_data_long", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n"),
            Map.entry("chunk_term_x", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\n0\r\n\r\n"),
            Map.entry("chunk_term_lf", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n"),
            Map.entry("chunk_size_lf", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n"),
            Map.entry("last_chunk_lf", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\n\r\n"),
            Map.entry("trailer_end_x", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX\n"),
            Map.entry("trailer_end_lf", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\n"),
            Map.entry("trailer_lf", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\n\r\n"),
            Map.entry("trailer_bad", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nbad trailer\r\n\r\n"),
            Map.entry("chunk_overflow", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
            Map.entry("chunk_space_ext", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 ;a=b\r\nhello\r\n0\r\n\r\n"),
            Map.entry("chunk_space_after", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n"),
            Map.entry("chunk_neg", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("chunk_0x", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("chunk_empty_size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n"),
            Map.entry("chunk_ext_bare_cr", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n"),
            Map.entry("no_host", "GET / HTTP/1.1\r\n\r\n"),
            Map.entry("two_hosts", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"),
            Map.entry("pipelined", "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("close_hdr", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            Map.entry("partial_head", "GET / HTTP/1.1\r\nHost: x\r\n"),
            Map.entry("partial_body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"),
            Map.entry("expect", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello"),
            Map.entry("garbage", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003"),
            Map.entry("cl_leading_zero", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 05\r\n\r\nhello"),
            Map.entry("cl_tab", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\t5\r\n\r\nhello"),
            Map.entry("te_lower_case", "POST / HTTP/1.1\r\nHost: x\r\ntransfer-encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Map.entry("cl_empty", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n"),
            Map.entry("worker_close", "GET /close HTTP/1.1\r\nHost: x\r\n\r\n"),
            Map.entry("worker_close_pipelined", "GET /close HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"));
}
