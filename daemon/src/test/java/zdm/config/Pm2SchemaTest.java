package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pm2's own list of app options (node_modules/pm2/lib/API/schema.json, from npm), each option and alias in a pm2
 * file of its own: zdm must run every one (nothing pm2 runs is refused) and do with it what the table in
 * docs/migrating-from-pm2.md says: honoured (no warning), translated (one warning, "read as ..."), or not applicable
 * (one warning, "ignored; <the reason the table gives>"). A new pm2 option fails here until the table has its row.
 */
class Pm2SchemaTest {
    private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache/zdm-test/pm2-7");
    private static final String SCHEMA = "node_modules/pm2/lib/API/schema.json";

    /** Values pm2 users write, where the schema's type alone would not make a meaningful one. */
    private static final Map<String, Object> SAMPLES = Map.ofEntries(
            Map.entry("script", "server.js"), Map.entry("name", "a"), Map.entry("cwd", "."), Map.entry("args", "--verbose"), Map.entry("exec_interpreter", "node"),
            Map.entry("node_args", "--max-old-space-size=100"), Map.entry("out_file", "out.log"),
            Map.entry("error_file", "err.log"), Map.entry("log_file", "all.log"), Map.entry("log_type", "json"),
            Map.entry("log_date_format", "YYYY-MM-DD HH:mm Z"), Map.entry("env", Map.of("A", "1")),
            Map.entry("env_production", Map.of("A", "2")), Map.entry("max_memory_restart", "100M"),
            Map.entry("pid_file", "app.pid"), Map.entry("restart_delay", 100), Map.entry("exp_backoff_restart_delay", 100),
            Map.entry("instances", 2), Map.entry("kill_timeout", 1600), Map.entry("listen_timeout", 3000),
            Map.entry("cron_restart", "0 3 * * *"), Map.entry("stop_exit_codes", List.of(0)), Map.entry("watch_delay", 1000),
            Map.entry("watch", true), Map.entry("ignore_watch", List.of("node_modules")), Map.entry("min_uptime", 1000),
            Map.entry("max_restarts", 3), Map.entry("exec_mode", "cluster"), Map.entry("port", 3000),
            Map.entry("increment_var", "PORT"), Map.entry("instance_var", "INSTANCE_ID"), Map.entry("uid", "www-data"),
            Map.entry("gid", "www-data"), Map.entry("username", "me"), Map.entry("namespace", "api"),
            Map.entry("kill_retry_time", 100), Map.entry("post_update", List.of("npm install")));

    @TempDir
    Path tmp;

    @Test
    void everyOptionOfPm2sSchemaRunsAndDoesWhatTheMigrationGuideSays() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(schemaJson().toFile());
        Map<String, Row> rows = guideRows();
        Files.writeString(tmp.resolve("server.js"), "// an app\n");
        var wrong = new ArrayList<String>();
        var seen = new ArrayList<String>();
        for (var it = schema.fields(); it.hasNext(); ) {
            var option = it.next();
            String key = option.getKey().startsWith("^env_") ? "env_production" : option.getKey(); // env_<name>
            var names = new ArrayList<>(List.of(key));
            JsonNode alias = option.getValue().get("alias");
            if (alias != null && alias.isArray()) alias.forEach(a -> names.add(a.asText()));
            else if (alias != null) names.add(alias.asText());
            for (String name : names) {
                seen.add(name);
                Row row = rows.get(name);
                if (row == null) {
                    wrong.add(name + ": no row in the guide's table");
                    continue;
                }
                boolean isScript = key.equals("script");
                String problem = check(name, key, SAMPLES.getOrDefault(key, sample(option.getValue().get("type"))), row, isScript);
                if (problem != null) wrong.add(problem);
            }
        }
        var stale = new ArrayList<>(rows.keySet());
        stale.removeAll(seen);
        assertEquals(List.of(), stale, "rows of the guide's table for options pm2's schema.json does not have");
        assertEquals(List.of(), wrong);
    }

    /** Null when zdm does with {@code name} what the guide's row says. */
    private String check(String name, String key, Object value, Row row, boolean isScript) throws IOException {
        var app = new LinkedHashMap<String, Object>();
        if (!name.equals("name")) app.put("name", "a");
        if (!isScript) app.put("script", "server.js");
        app.put(name, value);
        Path file = tmp.resolve("option.json");
        Files.writeString(file, new ObjectMapper().writeValueAsString(Map.of("apps", List.of(app))));
        var result = EcosystemLoader.loadFile(file);
        if (!(result instanceof LoadResult.Loaded loaded)) {
            return name + ": refused, where pm2 runs it: " + ((LoadResult.Invalid) result).errors();
        }
        // an alias is read as its option first, so a warning may name the option
        var mine = loaded.warnings().stream()
                .filter(w -> w.contains("apps[0]." + name + ":") || w.contains("apps[0]." + key + ":")).toList();
        String got = mine.isEmpty() ? "honoured" : mine.size() > 1 ? "several warnings " + mine
                : mine.getFirst().contains(": read as ") ? "translated" : mine.getFirst().contains(": ignored; ")
                ? "not applicable" : "an unexpected warning " + mine;
        if (!got.equals(row.kind())) return name + ": the guide says " + row.kind() + ", zdm: " + got + " " + mine;
        if (got.equals("not applicable")) {
            String reason = mine.getFirst().substring(mine.getFirst().indexOf(": ignored; ") + ": ignored; ".length());
            if (!row.text().contains(reason)) return name + ": the guide's reason is not the warning's: " + reason;
        }
        if (got.equals("translated")) {
            String into = mine.getFirst().substring(mine.getFirst().indexOf(": read as ") + ": read as ".length()).split(" ")[0];
            if (!row.text().contains("`" + into)) return name + ": the guide does not name " + into;
        }
        return null;
    }

    private static Object sample(JsonNode type) {
        String first = type == null ? "string" : type.isArray() ? type.get(0).asText() : type.asText();
        return switch (first) {
            case "boolean" -> true;
            case "number" -> 1;
            case "object" -> Map.of();
            case "array" -> List.of();
            default -> "x";
        };
    }

    /** One row of the table: {@code | `option`, `alias` | kind | text |}; each option named in the first cell has it. */
    private record Row(String kind, String text) {}

    /** The rows of the guide's "pm2's options, one by one" table, by option. */
    private static Map<String, Row> guideRows() throws IOException {
        Path guide = Path.of("").toAbsolutePath();
        while (!Files.exists(guide.resolve("docs/migrating-from-pm2.md"))) guide = guide.getParent();
        String text = Files.readString(guide.resolve("docs/migrating-from-pm2.md"));
        String table = text.substring(text.indexOf("## pm2's options, one by one"));
        var rows = new LinkedHashMap<String, Row>();
        for (String line : table.lines().skip(1).toList()) {
            if (line.startsWith("## ")) break;
            if (!line.startsWith("| `")) continue;
            String[] cells = line.split(" \\| ");
            var row = new Row(cells[1].trim(), cells.length > 2 ? cells[2] : "");
            var names = java.util.regex.Pattern.compile("`([^`]+)`").matcher(cells[0]);
            while (names.find()) rows.put(names.group(1), row);
        }
        assertTrue(rows.size() > 50, "the table was found: " + rows.keySet());
        return rows;
    }

    /** pm2's schema.json, installed from npm into ~/.cache when missing; skipped, saying why, if npm cannot. */
    private static Path schemaJson() throws Exception {
        Path schema = CACHE.resolve(SCHEMA);
        if (Files.isRegularFile(schema)) return schema;
        Files.createDirectories(CACHE);
        String why;
        try {
            var npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", CACHE.toString(),
                    "pm2@7").redirectErrorStream(true).start();
            var out = new String(npm.getInputStream().readAllBytes());
            boolean done = npm.waitFor(300, TimeUnit.SECONDS);
            if (!done) npm.destroyForcibly();
            why = done && npm.exitValue() == 0 ? "npm installed pm2 without " + SCHEMA : "npm install pm2@7 failed: " + out;
        } catch (IOException e) {
            why = "npm is not installed: " + e.getMessage();
        }
        if (Files.isRegularFile(schema)) return schema;
        System.out.println("Pm2SchemaTest skipped: " + why);
        Assumptions.abort(why);
        return null;
    }
}
