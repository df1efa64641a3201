package zdm.proc;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The Linux signals zdm names in configs and messages. Numbers are those of Linux on x86-64 and
 * arm64 (the generic ABI); other architectures are not supported.
 */
public enum Signal {
    SIGHUP(1), SIGINT(2), SIGQUIT(3), SIGILL(4), SIGTRAP(5), SIGABRT(6), SIGBUS(7), SIGFPE(8),
    SIGKILL(9), SIGUSR1(10), SIGSEGV(11), SIGUSR2(12), SIGPIPE(13), SIGALRM(14), SIGTERM(15),
    SIGSTKFLT(16), SIGCHLD(17), SIGCONT(18), SIGSTOP(19), SIGTSTP(20), SIGTTIN(21), SIGTTOU(22),
    SIGURG(23), SIGXCPU(24), SIGXFSZ(25), SIGVTALRM(26), SIGPROF(27), SIGWINCH(28), SIGIO(29),
    SIGPWR(30), SIGSYS(31);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** Accepts "SIGTERM", "TERM", "sigterm" or "15". */
    public static Optional<Signal> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return byNumber(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        String name = t.startsWith("SIG") ? t : "SIG" + t;
        return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst();
    }

    public static Optional<Signal> byNumber(int n) {
        return Arrays.stream(values()).filter(s -> s.number == n).findFirst();
    }
}
