package zdm.supervisor;

import java.io.IOException;
import java.util.ArrayList;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;

/** {@code zdm flush <app|all>}: empties the apps' log files, recorded as a "flushed" event with the uid that asked. */
final class FlushLogs {
    private FlushLogs() {}

    static Response run(AppRegistry r, String target, int uid) {
        var names = r.resolveOffLoop(target);
        if (names == null) return r.notFound(target);
        var failed = new ArrayList<String>();
        for (var n : names) {
            try {
                r.logs().flush(n);
                r.requested(n, "flushed", null, uid);
            } catch (IOException e) {
                failed.add(n + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) return Response.Failed.of(ErrorKind.FAILED, "cannot flush logs of " + String.join("; ", failed));
        return new Response.Done(names.isEmpty() ? "no apps to flush" : "flushed the logs of " + String.join(", ", names));
    }
}
