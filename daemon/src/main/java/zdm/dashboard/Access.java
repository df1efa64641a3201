package zdm.dashboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import zdm.proc.PrivateHome;

/**
 * Who may use the dashboard: whoever holds the random token of {@code $ZDM_HOME/dashboard.token}
 * (0600, read and written without following links, like every file of the home). The link that
 * {@code zdm dashboard} prints carries the token once; the page then trades it for a cookie, and
 * every action also carries a CSRF value that only the page can read. Cookie and CSRF values are
 * derived from the token (HMAC-SHA256), so a new token voids both. Immutable.
 */
final class Access {
    private static final int TOKEN_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String token;
    private final String session;
    private final String csrf;

    private Access(String token) {
        this.token = token;
        this.session = derive(token, "session");
        this.csrf = derive(token, "csrf");
    }

    /** The home's token, made (and saved 0600) on first use; a file others could read is narrowed to 0600 first. */
    static Access load(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try (var ch = PrivateHome.channel(file, StandardOpenOption.READ)) {
                if (!Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
                    Files.setPosixFilePermissions(file, OWNER_ONLY);
                }
                if (ch.size() > 1024) throw new IOException(file + " is not a dashboard token (too long); remove it");
                var buf = ByteBuffer.allocate((int) ch.size());
                while (buf.hasRemaining() && ch.read(buf) >= 0) { /* read it all */ }
                String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
                if (text.length() >= 32) return new Access(text);
            }
        }
        var bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        PrivateHome.writeString(file, fresh + "\n");
        Files.setPosixFilePermissions(file, OWNER_ONLY); // the daemon's umask makes it so already; say it anyway
        return new Access(fresh);
    }

    String token() { return token; }

    /** The cookie's value: proves the token was shown once, without being the token. */
    String session() { return session; }

    /** What an action must carry in its {@code X-Zdm-Csrf} header. */
    String csrf() { return csrf; }

    boolean isToken(String candidate) { return same(token, candidate); }

    boolean isSession(String candidate) { return same(session, candidate); }

    boolean isCsrf(String candidate) { return same(csrf, candidate); }

    /** Constant time: how long a comparison takes says nothing about how much of a guess was right. */
    private static boolean same(String expected, String candidate) {
        return candidate != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static String derive(String key, String purpose) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
