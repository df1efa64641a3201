package zdm.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import zdm.config.EcosystemLoader;
import zdm.config.LoadResult;
import zdm.protocol.ErrorKind;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.supervisor.Supervisor;

/**
 * {@code zdm start <app> --env <name>}, as pm2's {@code start <app> --env <name>}: the app's own
 * ecosystem file is read again with its {@code env_<name>} blocks and only that app is applied (so
 * reloaded if its environment changed, started if stopped). The file is validated whole, as for
 * {@code zdm start <file>}. An app started from the command line has no file, and no blocks.
 */
final class AppEnvStart {
    private AppEnvStart() {}

    static Response run(Request.StartApps s, Supervisor supervisor, Consumer<String> progress,
                        Function<LoadResult, Response> apply) {
        String source = supervisor.sourceOf(s.target());
        if (source == null) return Response.Failed.of(ErrorKind.NOT_FOUND, "no app named " + s.target());
        var file = Path.of(source);
        if (!file.isAbsolute() || !Files.isRegularFile(file)) {
            return Response.Failed.of(ErrorKind.BAD_REQUEST, s.target() + " was not started from an ecosystem file ("
                    + source + "), so it has no env_" + s.env() + " block; start it again with -e KEY=VALUE instead");
        }
        var result = EcosystemLoader.loadFile(file, s.env(), s.callerEnv());
        if (!(result instanceof LoadResult.Loaded loaded)) return apply.apply(result);
        var spec = loaded.apps().stream().filter(a -> a.name().equals(s.target())).findFirst();
        if (spec.isEmpty()) {
            return Response.Failed.of(ErrorKind.NOT_FOUND, s.target() + " is no longer in " + source
                    + "; start the file itself (zdm start " + source + " --env " + s.env() + ")");
        }
        loaded.warnings().forEach(w -> progress.accept("warning: " + w));
        // The caller's variables beneath the app's env, as for a file: --update-env's, else the ones the app keeps
        var caller = s.updateEnv() != null ? s.updateEnv() : supervisor.callerEnvOf(s.target()).orElse(null);
        return apply.apply(new LoadResult.Loaded(List.of(zdm.supervisor.EnvUpdate.beneath(spec.get(), caller))));
    }
}
