package zdm.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
                long utime, long stime, long cutime, long cstime, long startTicks, long rssPages) {

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

    /**
     * One read of /proc/PID/stat into a small buffer: a pass over /proc reads one such file per process,
     * and Files.readString's 8 KiB buffer per read (the file's size shows as 0) was most of what a
     * reload of all apps allocated.
     */
    static Optional<ProcStat> read(long pid) {
        return read(pid, ByteBuffer.allocate(STAT_BUFFER_BYTES));
    }

    /** As {@link #read(long)}, into {@code buf} (a pass over /proc reuses one). */
    private static Optional<ProcStat> read(long pid, ByteBuffer buf) {
        Path file = Path.of("/proc/" + pid + "/stat");
        buf.clear();
        try (var ch = FileChannel.open(file)) {
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // the kernel may hand the line over in pieces
            }
            if (!buf.hasRemaining()) {   // longer than any stat line seen: read it the slow way
                return Optional.ofNullable(parse(pid, Files.readString(file, StandardCharsets.ISO_8859_1)));
            }
            return Optional.ofNullable(parse(pid, buf.array(), buf.position()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();   // gone (or vanished mid-read): the caller treats it as not running
        }
    }

    private static final int STAT_BUFFER_BYTES = 1024;

    /** Every process visible in /proc right now (processes that vanish while scanning are skipped). */
    static List<ProcStat> all() {
        var out = new ArrayList<ProcStat>();
        var buf = ByteBuffer.allocate(STAT_BUFFER_BYTES);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!isNumber(name)) continue;
                read(Long.parseLong(name), buf).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return out;
    }

    private static boolean isNumber(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) if (name.charAt(i) < '0' || name.charAt(i) > '9') return false;
        return true;
    }

    /**
     * Resident set size in pages from /proc/&lt;pid&gt;/statm, or -1 if unknown (the same figure as
     * {@link #rssPages()}: both are the kernel's get_mm_rss).
     */
    static long residentPages(long pid) {
        try {
            String[] f = Files.readString(PROC.resolve(Long.toString(pid)).resolve("statm")).trim().split(" ");
            return Long.parseLong(f[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static ProcStat parse(long pid, String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        return parse(pid, b, b.length);
    }

    /** The fields after comm, read in place (no substring or split: a pass over /proc parses every process). */
    static ProcStat parse(long pid, byte[] b, int len) {
        // comm (field 2) is in parentheses and may itself contain spaces and ')': fields start after the LAST ')'.
        int close = len - 1;
        while (close >= 0 && b[close] != ')') close--;
        if (close < 0 || close + 2 >= len) return null;
        // field n (1-based, as in proc(5)) for n >= 3
        long[] f = new long[LAST_FIELD + 1];
        char state = (char) (b[close + 2] & 0xff);
        int field = 3;
        int i = close + 2;
        while (i < len && b[i] != ' ') i++;   // past the state
        while (i < len && field < LAST_FIELD) {
            i++;   // the space
            field++;
            long v = 0;
            boolean negative = i < len && b[i] == '-';
            if (negative) i++;
            int digits = 0;
            while (i < len && b[i] >= '0' && b[i] <= '9') {
                v = v * 10 + (b[i++] - '0');
                digits++;
            }
            if (digits == 0 || (i < len && b[i] != ' ' && b[i] != '\n')) return null;
            f[field] = negative ? -v : v;
        }
        if (field < LAST_FIELD) return null;
        return new ProcStat(pid, state, f[4], f[5], f[6], f[14], f[15], f[16], f[17], f[22], f[24]);
    }

    /** rss, the last field read (field 25, rsslim, may not fit a long). */
    private static final int LAST_FIELD = 24;
}
