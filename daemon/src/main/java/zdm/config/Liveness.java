package zdm.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an online worker is judged alive (the {@code liveness:} key). */
public enum Liveness {
    /** An HTTP probe of the worker's private PORT every liveness_interval. */
    HTTP,
    /** sd_notify's WATCHDOG=1 at least every liveness_interval, like systemd's WatchdogSec. */
    WATCHDOG;

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
    public static Liveness of(String key) {
        return EnumKeys.of(Liveness.class, key);
    }
}
