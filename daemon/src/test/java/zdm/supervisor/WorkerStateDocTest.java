package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import zdm.proc.ExitStatus;

/**
 * docs/architecture.md's table of worker-state moves (between the worker-transitions markers) is
 * exactly {@link WorkerState#canMoveTo}: every move the table lists is allowed, every allowed move is listed.
 */
class WorkerStateDocTest {
    private static final List<WorkerState> ONE_OF_EACH = List.of(
            new WorkerState.Stopped(), new WorkerState.Starting(1, 0), new WorkerState.Online(1, 0),
            new WorkerState.Draining(1, 0), new WorkerState.Stopping(1, 0),
            new WorkerState.WaitingRestart(new ExitStatus(1, null)), new WorkerState.Errored("x"));

    @Test
    void theDocumentedMovesAreExactlyTheAllowedOnes() throws Exception {
        Set<String> allowed = new TreeSet<>();
        for (var from : ONE_OF_EACH) {
            for (var to : ONE_OF_EACH) {
                if (from.canMoveTo(to)) allowed.add(name(from) + " -> " + name(to));
            }
        }
        assertEquals(allowed, documented());
    }

    private static Set<String> documented() throws Exception {
        String doc = Files.readString(root().resolve("docs/architecture.md"));
        int begin = doc.indexOf("<!-- worker-transitions:begin -->");
        int end = doc.indexOf("<!-- worker-transitions:end -->");
        assertTrue(begin >= 0 && end > begin, "docs/architecture.md has no worker-transitions section");
        Set<String> moves = new TreeSet<>();
        for (String line : doc.substring(begin, end).lines().toList()) {
            String[] cells = line.split("\\|");
            // "| from | to | when |": cells[0] is empty, the header and the --- line are not states
            if (cells.length < 3 || cells[1].isBlank() || cells[1].contains("-") || cells[1].trim().equals("from")) continue;
            moves.add(cells[1].trim() + " -> " + cells[2].trim());
        }
        return moves;
    }

    private static String name(WorkerState s) {
        return s.getClass().getSimpleName();
    }

    private static Path root() {
        for (var p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/architecture.md"))) return p;
        }
        throw new AssertionError("docs/architecture.md not found above " + Path.of("").toAbsolutePath());
    }
}
