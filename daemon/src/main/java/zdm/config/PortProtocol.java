package zdm.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an app's port carries, for the proxy (the {@code protocol:} key). */
public enum PortProtocol {
    /** Sniffed per connection: HTTP/1.x is parsed, anything else tunnelled. */
    AUTO,
    HTTP,
    TCP;

    /** As written in a file and stored. */
    @JsonValue
    public String key() {
        return EnumKeys.key(this);
    }

    /** The key, so a message that names the value reads as the file would. */
    @Override
    public String toString() {
        return key();
    }

    /** The value written as {@code key}; null for null. */
    public static PortProtocol of(String key) {
        return EnumKeys.of(PortProtocol.class, key);
    }
}
