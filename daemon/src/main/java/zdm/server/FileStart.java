package zdm.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import zdm.config.EcosystemLoader;
import zdm.config.LoadResult;
import zdm.metrics.MetricsEndpoint;
import zdm.protocol.ErrorKind;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.supervisor.Supervisor;

/**
 * {@code zdm start <file>}: load the file (with its {@code --env}), pass on its warnings, apply its
 * {@code metrics:} and {@code dashboard:}, apply its apps (only changed apps are reloaded), then deal with the apps that
 * came from this file before but are gone from it: listed and left alone, or deleted with {@code --prune}.
 */
final class FileStart {
    private FileStart() {}

    static Response run(Request.StartFile f, Supervisor supervisor, MetricsEndpoint metrics,
                        zdm.dashboard.DashboardServer dashboard, int uid,
                        Consumer<String> progress, Function<LoadResult, Response> apply) {
        var read = EcosystemLoader.loadFile(Path.of(f.path()), f.env(), f.callerEnv());
        if (!(read instanceof LoadResult.Loaded loaded)) return apply.apply(read);
        // As pm2: the caller's variables beneath each app's env. A registered app keeps the ones of the start that
        // registered it (another shell's start changes nothing); --update-env gives it this caller's (reloaded if changed).
        var result = new LoadResult.Loaded(loaded.apps().stream()
                .map(a -> zdm.supervisor.EnvUpdate.beneath(a, f.updateEnv() ? f.callerEnv()
                        : supervisor.callerEnvOf(a.name()).orElse(f.callerEnv()))).toList(), loaded.metrics(),
                loaded.warnings(), loaded.dashboard());
        loaded.warnings().forEach(w -> progress.accept("warning: " + w));
        if (loaded.metrics() != null && metrics != null) {
            String error = metrics.configure(loaded.metrics());
            if (error != null) return Response.Failed.of(ErrorKind.FAILED, error + "; nothing was started");
        }
        if (loaded.dashboard() != null && dashboard != null) {
            String error = dashboard.configure(loaded.dashboard());
            if (error != null) return Response.Failed.of(ErrorKind.FAILED, error + "; nothing was started");
        }
        var names = loaded.apps().stream().map(zdm.config.AppSpec::name).toList();
        var gone = new ArrayList<>(supervisor.appsFrom(Path.of(f.path()).toAbsolutePath().normalize().toString()));
        gone.removeAll(names);
        var answer = apply.apply(result);
        if (gone.isEmpty() || answer instanceof Response.Failed) return answer;
        if (!f.prune()) {
            for (var n : gone) {
                progress.accept(n + " is no longer in " + f.path() + "; left alone (start with --prune to delete it)");
            }
            return answer;
        }
        List<String> deleted = new ArrayList<>();
        for (var n : gone) {
            var r = supervisor.delete(n, uid, progress);
            if (r instanceof Response.Failed failed && failed.kind() != ErrorKind.NOT_FOUND) return failed;
            deleted.add(n);
        }
        String note = "pruned " + String.join(", ", deleted);
        return switch (answer) {
            case Response.Apps a -> new Response.Apps(a.apps(), a.message() == null ? note : a.message() + "; " + note);
            case Response.Done d -> new Response.Done(d.message() + "; " + note);
            default -> answer;
        };
    }
}
