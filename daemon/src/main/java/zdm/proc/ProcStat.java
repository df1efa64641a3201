package zdm.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of /proc/&lt;pid&gt;/stat that zdm needs (see proc(5)). Times are in clock ticks.
 * Thread-safe: an immutable snapshot; reading never caches.
 */
record ProcStat(long pid, char state, long ppid, long pgrp, long session,
                long utime, long stime, long cutime, long cstime, long startTicks) {

    private static final Path PROC = Path.of("/proc");

    boolean zombie() {
        return state == 'Z' || state == 'X' || state == 'x';
    }

    /**
     * The start time in epoch milliseconds, computed as the JDK's ProcessHandle.Info.startInstant() does on
     * Linux (boot time from /proc/stat's btime, plus the start ticks), so identities made either way agree.
     */
    long startTimeMs() {
        return Boot.MS + startTicks * 1000 / Boot.TICKS_PER_SECOND;
    }

    private static final class Boot {
        static final long TICKS_PER_SECOND = Posix.clockTicksPerSecond();
        static final long MS = readBootMs();

        private static long readBootMs() {
            try {
                for (String line : Files.readAllLines(PROC.resolve("stat"), StandardCharsets.ISO_8859_1)) {
                    if (line.startsWith("btime ")) return Long.parseLong(line.substring(6).trim()) * 1000;
                }
            } catch (IOException | RuntimeException e) {
                // below
            }
            throw new IllegalStateException("cannot read the boot time (btime) from /proc/stat");
        }
    }

    /** CPU time of this process plus that of its children it has already reaped. */
    long cpuTicksWithReapedChildren() {
        return utime + stime + cutime + cstime;
    }

    static Optional<ProcStat> read(long pid) {
        try {
            return Optional.ofNullable(parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"),
                    StandardCharsets.ISO_8859_1)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();   // gone (or vanished mid-read): the caller treats it as not running
        }
    }

    /** Every process visible in /proc right now (processes that vanish while scanning are skipped). */
    static List<ProcStat> all() {
        var out = new ArrayList<ProcStat>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) continue;
                read(Long.parseLong(name)).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return out;
    }

    /** Resident set size in pages from /proc/&lt;pid&gt;/statm, or -1 if unknown. */
    static long residentPages(long pid) {
        try {
            String[] f = Files.readString(PROC.resolve(Long.toString(pid)).resolve("statm")).trim().split(" ");
            return Long.parseLong(f[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static ProcStat parse(long pid, String line) {
        // comm (field 2) is in parentheses and may itself contain spaces and ')': split after the LAST ')'.
        int close = line.lastIndexOf(')');
        if (close < 0) return null;
        String[] f = line.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); field n is f[n - 3].
        return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]),
                Long.parseLong(f[19]));
    }
}
