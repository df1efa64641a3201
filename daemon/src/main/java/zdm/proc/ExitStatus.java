package zdm.proc;

import java.util.Optional;

/**
 * How a process ended: exactly one of {@code code} and {@code signal} is set. Java reports death by
 * signal N as exit value 128+N; values above 128 that name a known signal are mapped to that signal
 * (so a program that itself does {@code exit 137} reads as SIGKILL: the JDK gives us no way to tell).
 * Thread-safe (immutable).
 */
public record ExitStatus(Integer code, Signal signal) {
    public ExitStatus {
        if ((code == null) == (signal == null)) {
            throw new IllegalArgumentException("exactly one of code and signal must be set");
        }
    }

    /** "code 1" or "signal SIGKILL". */
    public String describe() {
        return code != null ? "code " + code : "signal " + signal.name();
    }

    public static ExitStatus fromExitValue(int v) {
        Optional<Signal> s = v > 128 ? Signal.byNumber(v - 128) : Optional.empty();
        return s.map(sig -> new ExitStatus(null, sig)).orElseGet(() -> new ExitStatus(v, null));
    }
}
