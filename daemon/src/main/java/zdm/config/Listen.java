package zdm.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who accepts on an app's port (the {@code listen:} key). */
public enum Listen {
    /** The daemon accepts and forwards to each worker's private PORT. */
    PROXY,
    /** Every worker inherits the daemon's listening socket and accepts on it (fd 3, or 0 with socket_fd: 0). */
    SOCKET,
    /** Written in a file only: validation turns it into PROXY or SOCKET ({@link ListenAuto}). */
    AUTO;

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
    public static Listen of(String key) {
        return EnumKeys.of(Listen.class, key);
    }
}
