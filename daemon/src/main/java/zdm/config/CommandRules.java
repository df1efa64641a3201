package zdm.config;

import static zdm.config.AppKey.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import zdm.config.Interpreters.Interpreter;
import zdm.config.Node.Pos;

/**
 * Where and what an app runs: its working directory, and its argv from script: (with the interpreter
 * named or inferred, interpreter_args/node_args, args) or from command: (a list, a string split like a
 * shell would, or with shell: true a /bin/sh -c line). Every problem is reported at its key.
 */
final class CommandRules {
    private CommandRules() {}

    /** The absolute working directory, or null when it is invalid (reported). */
    static Path cwd(ReadKeys k, Path baseDir) {
        if (!k.written(CWD)) return baseDir;
        String text = (String) k.values().get(CWD);
        if (text == null) return null;
        Path dir = baseDir.resolve(text).normalize();
        if (!Files.exists(dir)) {
            return k.fail(CWD, "directory not found: " + dir + relativeTo(text, "", baseDir));
        }
        if (!Files.isDirectory(dir)) {
            return k.fail(CWD, "not a directory: " + dir);
        }
        return dir;
    }

    /** The argv, or null when something about it is invalid (reported). */
    static List<String> command(ReadKeys k, Pos appPos, Path cwd) {
        boolean hasScript = k.written(SCRIPT);
        boolean hasCommand = k.written(COMMAND);
        if (hasScript && hasCommand) {
            return k.fail(COMMAND, "use either script: or command:, not both");
        }
        if (!hasScript && !hasCommand) {
            var script = k.at().apply(SCRIPT);
            script.problems().add(appPos, script.path(),
                    "missing; every app needs script: (a file to run) or command: (a program and its arguments)");
            return null;
        }
        return hasCommand ? fromCommand(k, cwd) : fromScript(k, cwd);
    }

    private static List<String> fromCommand(ReadKeys k, Path cwd) {
        boolean shell = k.get(SHELL);
        for (AppKey onlyWithScript : List.of(INTERPRETER, INTERPRETER_ARGS, NODE_ARGS)) {
            if (k.written(onlyWithScript)) {
                k.fail(onlyWithScript, "only valid with script:; with command:, write the program and its options in the command");
            }
        }
        Object command = k.values().get(COMMAND);
        if (command instanceof String line && shell) {
            if (k.written(ARGS)) {
                return k.fail(ARGS, "cannot be combined with shell: true; write the arguments in the command string");
            }
            if (line.isBlank()) return k.fail(COMMAND, "must not be empty");
            return List.of("/bin/sh", "-c", line);
        }
        if (command instanceof List<?> && shell) {
            return k.fail(SHELL, "shell: true needs command: as a string; a list is already split into arguments");
        }
        List<String> argv = words(k, COMMAND);
        List<String> args = words(k, ARGS);
        if (argv == null || args == null || cwd == null) return null;
        if (argv.isEmpty()) return k.fail(COMMAND, "must not be empty");
        var result = new ArrayList<String>(argv);
        result.set(0, resolveProgram(argv.getFirst(), cwd));
        result.addAll(args);
        return result;
    }

    private static List<String> fromScript(ReadKeys k, Path cwd) {
        if (Boolean.TRUE.equals(k.values().get(SHELL))) {
            k.fail(SHELL, "only valid with command: (a string to run with /bin/sh -c)");
        }
        if (k.written(INTERPRETER_ARGS) && k.written(NODE_ARGS)) {
            k.fail(NODE_ARGS, "use interpreter_args or node_args (pm2's older name), not both");
        }
        List<String> interpreterArgs = words(k, k.written(NODE_ARGS) ? NODE_ARGS : INTERPRETER_ARGS);
        List<String> args = words(k, ARGS);
        String scriptText = (String) k.values().get(SCRIPT);
        if (scriptText == null || cwd == null || interpreterArgs == null || args == null) return null;

        Path script = cwd.resolve(scriptText).normalize();
        if (!Files.exists(script)) return k.fail(SCRIPT, "file not found: " + script + relativeTo(scriptText, "cwd ", cwd));
        if (Files.isDirectory(script) && !Interpreters.isNodePackage(script)) {
            return k.fail(SCRIPT, "is a directory without package.json or index.js (node, which runs a directory as in"
                    + " pm2, would find nothing to start): " + script);
        }
        if (Files.isDirectory(script) && "none".equals(k.values().get(INTERPRETER))) {
            return k.fail(INTERPRETER, "none runs the script itself, but " + script + " is a directory; remove interpreter:");
        }

        Interpreter interpreter = interpreter(k, script, cwd);
        if (interpreter == null && !Files.isExecutable(script)) {
            return k.fail(SCRIPT, script + " is not executable and zdm knows no interpreter for its extension;"
                    + " set interpreter: (for example interpreter: bash) or make it executable (chmod +x)");
        }
        var argv = new ArrayList<String>();
        if (interpreter != null) {
            argv.addAll(interpreter.program());
            argv.addAll(interpreterArgs);
            argv.addAll(interpreter.beforeScript());
        } else if (!interpreterArgs.isEmpty()) {
            return k.fail(k.written(NODE_ARGS) ? NODE_ARGS : INTERPRETER_ARGS,
                    "the script runs without an interpreter, so there is nothing to pass these to; set interpreter:");
        }
        argv.add(script.toString());
        argv.addAll(args);
        return argv;
    }

    /** The interpreter named or inferred for the script, or null to execute the script itself. */
    private static Interpreter interpreter(ReadKeys k, Path script, Path cwd) {
        String named = (String) k.values().get(INTERPRETER);
        if (named == null) return Interpreters.forScript(script).orElse(null);
        if (named.equals("none")) return null; // pm2's way of saying "execute the script directly"
        return new Interpreter(List.of(resolveProgram(named, cwd)), List.of());
    }

    /** A program written as a relative path ({@code ./bin/server}) is relative to cwd; a bare name is looked up on PATH later. */
    private static String resolveProgram(String program, Path cwd) {
        return program.contains("/") ? cwd.resolve(program).normalize().toString() : program;
    }

    /** A list value as is, a string value split like a shell would; empty when absent; null when invalid. */
    private static List<String> words(ReadKeys k, AppKey key) {
        if (!k.written(key)) return List.of();
        return switch (k.values().get(key)) {
            case null -> null;
            case List<?> list -> list.stream().map(String.class::cast).toList();
            case String line -> {
                try {
                    yield CommandLineSplitter.split(line);
                } catch (CommandLineSplitter.SplitException e) {
                    yield k.fail(key, e.getMessage());
                }
            }
            default -> throw new IllegalStateException("unexpected value for " + key);
        };
    }

    static String relativeTo(String written, String what, Path dir) {
        return written.startsWith("/") ? "" : " (relative to " + what + dir + ")";
    }
}
