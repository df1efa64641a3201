package zdm.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** How an online worker is judged alive (the {@code liveness:} key). */
public enum Liveness {
    /** An HTTP probe of the worker's private PORT every liveness_interval. */
    HTTP,
    /** sd_notify's WATCHDOG=1 at least every liveness_interval, like systemd's WatchdogSec. */
    WATCHDOG;

    /** As written in a file and stored: "http", "watchdog". */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The key, so a message that names the value reads as the file would. */
    @Override
    public String toString() {
        return key();
    }

    /** The kind written as {@code key}; null for null. */
    public static Liveness of(String key) {
        return key == null ? null : Arrays.stream(values()).filter(l -> l.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no liveness kind " + key));
    }
}
