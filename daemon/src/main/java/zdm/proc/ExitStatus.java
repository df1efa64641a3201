package zdm.proc;

import java.util.Optional;

/**
 * How a process ended: exactly one of {@code code} and {@code signal} is set. The daemon's workers
 * report their exact wait status ({@link #ofWaitStatus}, reaped by {@link ChildExits}). A process
 * started through the JDK's Process (pipes, tests) has only an exit value, where death by signal N
 * is 128+N: {@link #fromExitValue} maps values above 128 that name a known signal to that signal (so
 * there a program that itself does {@code exit 137} reads as SIGKILL). Thread-safe (immutable).
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

    /** The wait status word: low 7 bits the terminating signal (0 = exited), bits 8-15 the exit code. */
    static ExitStatus ofWaitStatus(int status) {
        int sig = status & 0x7f;
        if (sig == 0) return new ExitStatus((status >> 8) & 0xff, null);
        return Signal.byNumber(sig).map(s -> new ExitStatus(null, s)).orElseGet(() -> new ExitStatus(128 + sig, null));
    }

    public static ExitStatus fromExitValue(int v) {
        Optional<Signal> s = v > 128 ? Signal.byNumber(v - 128) : Optional.empty();
        return s.map(sig -> new ExitStatus(null, sig)).orElseGet(() -> new ExitStatus(v, null));
    }
}
