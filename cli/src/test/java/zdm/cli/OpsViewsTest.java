package zdm.cli;

import zdm.view.Tty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.protocol.EventView;
import zdm.protocol.Paths;

/** The renderings of events, log lines and the commands that need no daemon (completion, help). */
class OpsViewsTest {
    @TempDir
    Path home;

    @Test
    void anEventLineHasTimeWhoKindDetailAndTheUidThatAsked() {
        assertEquals("1970-01-01T00:01:01.500Z  web[1]  exited: code 3 after 1502 ms",
                EventLine.render(new EventView(61_500, "web", 1, "exited", "code 3 after 1502 ms", null, 7), ZoneOffset.UTC, Tty.PLAIN));
        assertEquals("1970-01-01T00:00:00.000Z  web  reload (uid 1000)",
                EventLine.render(new EventView(0, "web", null, "reload", null, 1000, 8), ZoneOffset.UTC, Tty.PLAIN));
        assertEquals("1970-01-01T00:00:00.000Z  zdm  daemon-started: zdm 0.1.0, pid 9",
                EventLine.render(new EventView(0, null, null, "daemon-started", "zdm 0.1.0, pid 9", null, 9), ZoneOffset.UTC, Tty.PLAIN));
    }

    /** Events, logs and describe print one format: ISO 8601 in the local zone, with its offset. */
    @Test
    void everyTimeIsPrintedInTheLocalZoneWithItsOffset() {
        var kolkata = java.time.ZoneId.of("Asia/Kolkata");
        assertEquals("1970-01-01T05:31:01.500+05:30  web[1]  exited",
                EventLine.render(new EventView(61_500, "web", 1, "exited", null, null, 7), kolkata, Tty.PLAIN));
        assertEquals("2026-12-04T23:18:39.103+05:30 web[0] GET / 200",
                LogLines.render("2026-12-04T17:48:39.103Z web[0] GET / 200", kolkata, Tty.PLAIN));
        assertEquals("2026-12-04T17:48:39.103Z web[0] x", LogLines.render("2026-12-04T17:48:39.103Z web[0] x", ZoneOffset.UTC, Tty.PLAIN));
        for (String notAStamp : new String[] {"04/12/2026 17:48 web[0] x", "2026-12-04T17:48:39.103Zweb", "2026-13-04T17:48:39.103Z x", ""}) {
            assertEquals(notAStamp, LogLines.render(notAStamp, kolkata, Tty.PLAIN), "left as it is");
        }
    }

    @Test
    void colouredEventLinesDifferOnlyByEscapes() {
        var e = new EventView(0, "web", 1, "exited", "code 3", null, 7);
        String coloured = EventLine.render(e, ZoneOffset.UTC, new Tty(true, true, 80));
        assertTrue(coloured.contains("\033[31mexited\033[0m"), coloured);
        assertEquals(EventLine.render(e, ZoneOffset.UTC, Tty.PLAIN), coloured.replaceAll("\033\\[[0-9;]*m", ""));
    }

    @Test
    void logLinesGetTheirAppPrefixColouredPerAppOnlyWithColour() {
        String line = "2026-12-01T17:00:00.000Z web[1] GET / [200]";
        assertEquals(line, LogLines.paint(line, Tty.PLAIN));
        String coloured = LogLines.paint(line, new Tty(true, true, 80));
        assertEquals("2026-12-01T17:00:00.000Z \033[" + Tty.appStyle("web") + "mweb[1]\033[0m GET / [200]", coloured);
        assertEquals("no prefix here", LogLines.paint("no prefix here", new Tty(true, true, 80)));
    }

    @Test
    void completionScriptsNameEveryCommand() {
        var bash = CliRun.run(new Paths(home), "completion", "bash");
        assertEquals(0, bash.exitCode(), bash.err());
        for (String cmd : new String[] {"start", "reload", "ls", "describe", "logs", "events", "flush", "completion"}) {
            assertTrue(bash.out().contains(cmd), cmd + " missing");
        }
        assertTrue(bash.out().contains("complete -F"), "a bash completion function is registered");
        var zsh = CliRun.run(new Paths(home), "completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"), zsh.out());
    }

    @Test
    void helpOfACommandShowsItsHeaderAndExamples() {
        for (String cmd : new String[] {"start", "reload", "logs"}) {
            var help = CliRun.run(new Paths(home), "help", cmd);
            assertEquals(0, help.exitCode(), help.err());
            assertTrue(help.out().contains("Examples:"), cmd + ":\n" + help.out());
            assertEquals(help.out(), CliRun.run(new Paths(home), cmd, "--help").out());
        }
    }

    /** Every subcommand, from ZdmCommand's own list, is in zdm --help with the start of its header. */
    @Test
    void everyCommandHasAOneLineHeader() {
        var help = CliRun.run(new Paths(home), "--help").out();
        var subcommands = ZdmCommand.class.getAnnotation(picocli.CommandLine.Command.class).subcommands();
        assertTrue(subcommands.length > 10, "the command list was read: " + subcommands.length);
        for (Class<?> c : subcommands) {
            var command = c.getAnnotation(picocli.CommandLine.Command.class);
            assertTrue(command.header().length == 1 && !command.header()[0].isBlank(), command.name() + " has no one-line header");
            String start = command.header()[0].substring(0, Math.min(20, command.header()[0].length()));
            assertTrue(help.lines().anyMatch(l -> l.startsWith("  " + command.name()) && l.contains(start)),
                    command.name() + " is listed with its header '" + start + "...' in:\n" + help);
        }
    }

    @Test
    void aWatchFrameOverwritesLinesAndClearsTheirRest() {
        assertEquals("a\033[K\r\nbb\033[K", Watch.redraw("a\nbb\n", 10));
        assertEquals("a\033[K", Watch.redraw("a\nbb\nccc\n", 3), "lines beyond the screen (minus the hint) are cut");
    }

    @Test
    void aWatchOnANonTerminalPrintsAFramePerSecondUntilTheReaderGoesAway() throws Exception {
        var frames = new java.util.concurrent.atomic.AtomicInteger();
        var sink = new java.io.Writer() {
            final StringBuilder text = new StringBuilder();

            @Override
            public void write(char[] c, int off, int len) throws java.io.IOException {
                if (frames.get() > 2) throw new java.io.IOException("reader gone");
                text.append(c, off, len);
            }

            @Override public void flush() {}
            @Override public void close() {}
        };
        long start = System.nanoTime();
        Watch.run((width, height) -> "frame " + frames.incrementAndGet() + " width " + width + "\n", new java.io.PrintWriter(sink), false);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, frames.get());
        assertTrue(sink.text.toString().matches("(?s)--- \\S+\nframe 1 width 0\n--- \\S+\nframe 2 width 0\n.*"), sink.text.toString());
        assertTrue(tookMs >= 1900, "a frame per second: " + tookMs + " ms for 3");
    }
}
