package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;
import zdm.test.Sources;

/**
 * Worker and app states reach the CLI as enums ({@link WorkerView.State}, {@link AppView.Status},
 * {@link AppView.Desired}), and its decisions switch on those, never on their names as text: a
 * renamed or added state is then a compile error or a failing switch here, not a silent miss.
 */
class StatesInTheCliTest {
    /** Where the CLI decides on states: its own sources and the renderers it shares with the daemon's fast path. */
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java/zdm/cli"), Path.of("../daemon/src/main/java/zdm/view"));
    /** Event kinds ("online", "errored", "stopped") are another vocabulary, the events table's, which these read. */
    private static final Set<String> EVENT_KIND_READERS = Set.of("EventLine.java", "ProgressLine.java");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static WorkerView worker(WorkerView.State state, String lastExit) {
        return new WorkerView(0, state, state == WorkerView.State.ONLINE ? 10 : 0, 0, 0, -1, -1, lastExit);
    }

    @Test
    void aStartFailsForWorkersThatShouldRunAndDoNot() {
        var workers = List.of(worker(WorkerView.State.ONLINE, null), worker(WorkerView.State.WAITING_RESTART, "code 1"),
                worker(WorkerView.State.STOPPED, "code 0"), worker(WorkerView.State.STOPPED, "code 1"),
                worker(WorkerView.State.ERRORED, "code 1"), worker(WorkerView.State.STARTING, null));
        // online and a one-shot job done with code 0 are fine; the rest are not online
        assertEquals(4, ClientCommand.workersNotOnline(new AppView("web", AppView.Status.DEGRADED, AppView.Desired.RUNNING, 6,
                null, workers)));
        assertEquals(0, ClientCommand.workersNotOnline(new AppView("web", AppView.Status.STOPPING, AppView.Desired.STOPPED, 6,
                null, workers)), "an app stopped as asked has nothing to be online");
        for (var s : WorkerView.State.values()) {
            long expected = s == WorkerView.State.ONLINE ? 0 : 1;
            assertEquals(expected, ClientCommand.workersNotOnline(new AppView("one", AppView.Status.RUNNING,
                    AppView.Desired.RUNNING, 1, null, List.of(worker(s, null)))), s.toString());
        }
    }

    @Test
    void theShellPromptCountsStatusesByEnum() {
        var apps = List.of(new AppView("a", AppView.Status.ERRORED, AppView.Desired.RUNNING, 1, null, List.of()),
                new AppView("b", AppView.Status.DEGRADED, AppView.Desired.RUNNING, 1, null, List.of()),
                new AppView("c", AppView.Status.DEGRADED, AppView.Desired.RUNNING, 1, null, List.of()));
        assertEquals("3 apps, 1 errored, 2 degraded", ShellPrompt.summary(apps));
    }

    /** No CLI source compares a state's name as text; a source that reads views names no state in a string at all. */
    @Test
    void noSourceSpellsAStateAsText() throws IOException {
        Set<String> names = Stream.of(WorkerView.State.values(), AppView.Status.values(), AppView.Desired.values())
                .flatMap(Stream::of).map(Object::toString).collect(Collectors.toSet());
        var compares = new ArrayList<Pattern>();
        for (String n : names) {
            String q = Pattern.quote("\"" + n + "\"");
            compares.add(Pattern.compile(q + "\\s*\\.\\s*equals|equals\\s*\\(\\s*" + q + "|case\\s+" + q + "|" + q + "\\s*->"));
        }
        var found = new ArrayList<String>();
        var sources = Sources.below(SOURCES);
        for (var source : sources) {
            String code = source.code();
            boolean readsViews = code.contains("AppView") || code.contains("WorkerView");
            var m = LITERAL.matcher(code);
            while (m.find()) {
                if (readsViews && names.contains(m.group(1))) found.add(source.fileName() + ": \"" + m.group(1) + "\"");
            }
            for (var p : compares) {
                var c = p.matcher(code);
                while (c.find()) if (!EVENT_KIND_READERS.contains(source.fileName())) found.add(source.fileName() + ": " + c.group());
            }
        }
        assertTrue(sources.size() > 50, "sources read: " + sources.size());
        assertEquals(List.of(), found);
    }

}
