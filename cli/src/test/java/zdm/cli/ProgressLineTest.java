package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    @Test
    void countsReadyWorkersOfAStartAndRedrawsTheStatusBelowTheLines() {
        var text = new StringWriter();
        try (var p = new ProgressLine(new PrintWriter(text))) {
            long t0 = System.currentTimeMillis();
            assertTrue(p.status(t0).startsWith("working, "));
            p.line("web[0] started: pid 10");
            p.line("web[1] started: pid 11");
            p.line("web[0] online: pid 10 ready after 300 ms");
            String s = p.status(t0 + 1300);
            assertTrue(s.startsWith("workers ready 1/2, "), s);
            p.close();
            String out = text.toString();
            // each line is printed after clearing the status line, and the status is redrawn after it
            assertTrue(out.contains("\r\033[Kweb[0] online: pid 10 ready after 300 ms\nworkers ready 1/2, "), out);
            assertTrue(out.endsWith("\r\033[K"), "the status line is removed at the end: " + out);
        }
    }

    @Test
    void aReloadCountsReplacedWorkers() {
        try (var p = new ProgressLine(new PrintWriter(new StringWriter()))) {
            p.line("web reload-begin: 2 worker(s), 1 at a time");
            p.line("web[0] started: pid 20");
            p.line("web[0] online: pid 20 ready after 100 ms");
            p.line("web[0] replaced: new pid 20 serving, old pid 10 draining");
            long start = System.currentTimeMillis();
            assertEquals("workers replaced 1/2, ", p.status(start).replaceAll("[0-9.]+s$", ""));
        }
    }
}
