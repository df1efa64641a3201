package zdm.cli;

import java.time.ZoneId;
import zdm.view.Timestamps;
import zdm.view.Tty;

/**
 * Shows a log line's UTC stamp in the local zone ({@link Timestamps}, the format of every time the
 * CLI prints) and colours the {@code app[worker]} prefix of a log line ({@code <timestamp> app[worker] <text>}) per
 * app, so interleaved apps tell apart on a terminal; the line is unchanged without colour. Stateless.
 */
final class LogLines {
    private LogLines() {}

    static String render(String line, ZoneId zone, Tty tty) {
        return paint(Timestamps.localiseLogLine(line, zone), tty);
    }

    static String paint(String line, Tty tty) {
        if (!tty.colour()) return line;
        int start = line.indexOf(' ') + 1;
        int bracket = line.indexOf('[', start);
        int end = line.indexOf("] ", start);
        if (start <= 0 || bracket < 0 || end < bracket) return line;
        String app = line.substring(start, bracket);
        return line.substring(0, start) + tty.paint(Tty.appStyle(app), line.substring(start, end + 1)) + line.substring(end + 1);
    }
}
