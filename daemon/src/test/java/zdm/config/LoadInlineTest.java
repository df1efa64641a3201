package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.net.ProxyProtocol;

/** Apps given on the command line ({@code zdm start app.js -i 2 --name web}). */
class LoadInlineTest {

    @TempDir
    Path tmp;

    @Test
    void happyPathResolvesAgainstCwd() {
        Path script = new EcoDir(tmp).script("srv/app.js");
        var result = EcosystemLoader.loadInline(
                Map.of("script", "srv/app.js", "instances", "2", "name", "web", "args", List.of("--port", 8080),
                        "env", Map.of("MODE", "prod", "N", 3)), tmp);
        var apps = assertInstanceOf(LoadResult.Loaded.class, result).apps();
        assertEquals(List.of(AppSpec.builder("web", List.of("node", script.toString(), "--port", "8080")).cwd(tmp.toString())
                .env(Map.of("MODE", "prod", "N", "3")).instances(2)
                .ready(new Readiness.Listening()).listen(Listen.SOCKET) // a Node app without a port learns it
                .listenTimeoutMs(30_000).reloadParallel(1).protocol(ProxyProtocol.AUTO).build()), apps);
    }

    @Test
    void typedValuesFromTheCliAreAccepted() {
        var app = ((LoadResult.Loaded) EcosystemLoader.loadInline(Map.of("name", "w", "command", "sleep 5",
                "instances", 3, "port", 8080, "autorestart", false, "kill_timeout", 2500), tmp)).apps().getFirst();
        assertEquals(List.of(3, 8080, false, 2500L),
                List.of(app.instances(), app.network().port(), app.restart().autorestart(), app.process().killTimeoutMs()));
    }

    @Test
    void errorsHaveNoPositionAndNoAppsPrefix() {
        var app = new LinkedHashMap<String, Object>();
        app.put("name", "../../x");
        app.put("script", "missing.js");
        app.put("instances", "two");
        app.put("instanses", 3);
        var errors = assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadInline(app, tmp)).errors();
        assertEquals(List.of(
                "<command line>: name: invalid app name \"../../x\": use 1 to 64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit",
                "<command line>: instances: expected a positive integer or \"max\", got \"two\"",
                "<command line>: instanses: unknown key; did you mean \"instances\"?",
                "<command line>: script: file not found: " + tmp.resolve("missing.js") + " (relative to cwd " + tmp + ")"),
                errors.stream().map(ConfigError::format).toList());
        assertEquals(new ConfigError("<command line>", 0, 0, "instances",
                "expected a positive integer or \"max\", got \"two\""), errors.get(1));
    }

    @Test
    void missingNameAndScript() {
        var errors = ((LoadResult.Invalid) EcosystemLoader.loadInline(Map.of(), tmp)).errors();
        assertEquals(List.of("<command line>: name: missing; every app needs a name",
                "<command line>: script: missing; every app needs script: (a file to run) or command: (a program"
                        + " and its arguments)"), errors.stream().map(ConfigError::format).toList());
    }
}
