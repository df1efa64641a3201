package zdm.proc;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ProcStatTest {

    @Test
    void fieldsAreReadAfterTheLastParenthesisOfTheCommand() {
        String line = "4242 (a) (b c) d) S 17 4242 4242 34816 -1 4194560 1183 0 0 0 12 34 56 78 20 -5 1 0 987654 "
                + "10162176 517 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        assertEquals(new ProcStat(4242, 'S', 17, 4242, 4242, 12, 34, 56, 78, 987654, 517), ProcStat.parse(4242, line));
    }

    @Test
    void aTruncatedOrGarbledLineIsNotAProcess() {
        assertNull(ProcStat.parse(1, "1 (init) S 0 1 1 0 -1 4194560"));
        assertNull(ProcStat.parse(1, "1 (init"));
        assertNull(ProcStat.parse(1, "1 (init) S 0 x 1 0 -1 4194560 1183 0 0 0 12 34 56 78 20 0 1 0 98 1 2 3"));
    }

    @Test
    void readingAProcessGivesWhatItsStatFileSays() throws Exception {
        long self = ProcessHandle.current().pid();
        var expected = ProcStat.parse(self, Files.readString(Path.of("/proc", Long.toString(self), "stat")));
        var read = ProcStat.read(self).orElseThrow();
        assertEquals(expected.ppid(), read.ppid());
        assertEquals(expected.session(), read.session());
        assertEquals(expected.startTicks(), read.startTicks());
    }
}
