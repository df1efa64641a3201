package zdm.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What an app's port carries, for the proxy (the {@code protocol:} key). */
public enum PortProtocol {
    /** Sniffed per connection: HTTP/1.x is parsed, anything else tunnelled. */
    AUTO,
    HTTP,
    TCP;

    /** As written in a file and stored: "auto", "http", "tcp". */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The key, so a message that names the value reads as the file would. */
    @Override
    public String toString() {
        return key();
    }

    /** The protocol written as {@code key}; null for null. */
    public static PortProtocol of(String key) {
        return key == null ? null : Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no protocol " + key));
    }
}
