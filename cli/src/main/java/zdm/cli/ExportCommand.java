package zdm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import zdm.cli.export.KubernetesExport;
import zdm.cli.export.SystemdExport;
import zdm.config.AppSpec;
import zdm.config.ConfigError;
import zdm.config.EcosystemLoader;
import zdm.config.LoadResult;

@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Write Kubernetes objects or systemd units for the apps of an ecosystem file.",
        description = {
                "Reads the file itself (no daemon needed) and writes, per app:",
                "- kubernetes (k8s): a Deployment and, for an app with a port, a Service;",
                "- systemd: an instance template zdm-<app>@.service (one instance per worker).",
                "To stdout, or one file per app into the directory given with -o.",
                "See docs/export.md for the mapping and what does not carry over."},
        footer = {"", "Examples:",
                "  zdm export kubernetes ecosystem.yaml --image registry.example/web:1.4 > k8s.yaml",
                "  zdm export systemd ecosystem.yaml -o /etc/systemd/system"})
final class ExportCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "<format>", description = "kubernetes (or k8s), or systemd.")
    String format;

    @Parameters(index = "1", paramLabel = "<file>", description = "Ecosystem file (YAML, or pm2's .json / .config.js).")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "<dir>", description = "Write one file per app into this directory.")
    Path outputDir;

    @Option(names = {"-e", "--env"}, paramLabel = "<name>", description = "Use the apps' env_<name> blocks.")
    String env;

    @Option(names = "--image", paramLabel = "<image>",
            description = "Container image for kubernetes (default: zdm-export/<app>:latest, a placeholder).")
    String image;

    @Override
    public Integer call() throws CliException {
        boolean k8s = switch (format) {
            case "kubernetes", "k8s" -> true;
            case "systemd" -> false;
            default -> throw usage("unknown format '" + format + "'; use kubernetes (k8s) or systemd");
        };
        if (image != null && !k8s) throw usage("--image applies to kubernetes only");
        if (env != null && !env.matches("[A-Za-z0-9_-]{1,64}")) throw usage("--env " + env + ": give the name of an env_<name> block");
        Path path = Path.of(System.getProperty("user.dir")).resolve(file).normalize();
        if (!Files.isRegularFile(path)) throw usage("ecosystem file " + path + " does not exist");
        var apps = load(path);
        var files = new ArrayList<OutFile>();
        for (var app : apps) {
            if (k8s) {
                KubernetesExport.warnings(app).forEach(w -> err().println("zdm: warning: " + w));
                String img = image != null ? image : "zdm-export/" + KubernetesExport.objectName(app.name()) + ":latest";
                files.add(new OutFile(KubernetesExport.objectName(app.name()) + ".yaml",
                        KubernetesExport.yaml(KubernetesExport.objects(app, img))));
            } else {
                SystemdExport.warnings(app).forEach(w -> err().println("zdm: warning: " + w));
                files.add(new OutFile(SystemdExport.fileName(app), SystemdExport.unit(app)));
                if (app.network().socketMode()) {
                    files.add(new OutFile(SystemdExport.socketFileName(app), SystemdExport.socketUnit(app)));
                }
            }
        }
        err().flush();
        return write(files);
    }

    private List<AppSpec> load(Path path) throws CliException {
        return switch (EcosystemLoader.loadFile(path, env)) {
            case LoadResult.Invalid inv -> throw new CliException(ExitCodes.USAGE,
                    inv.errors().size() == 1 ? inv.errors().getFirst().format()
                            : inv.errors().size() + " problems in the configuration; nothing was exported",
                    inv.errors().size() == 1 ? List.of() : inv.errors().stream().map(ConfigError::format).toList(), null);
            case LoadResult.Loaded ok -> {
                ok.warnings().forEach(w -> err().println("zdm: warning: " + w));
                yield ok.apps();
            }
        };
    }

    /** One file of the export: its name in the -o directory, and its text. */
    private record OutFile(String name, String content) {}

    private int write(List<OutFile> files) throws CliException {
        if (outputDir == null) {
            for (var f : files) {
                if (!f.content().startsWith("---")) out().println("### " + f.name());
                out().print(f.content());
            }
            out().flush();
            return ExitCodes.OK;
        }
        Path dir = Path.of(System.getProperty("user.dir")).resolve(outputDir).normalize();
        try {
            Files.createDirectories(dir);
            for (var f : files) {
                Files.writeString(dir.resolve(f.name()), f.content());
                out().println("wrote " + dir.resolve(f.name()));
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write into " + dir + ": " + e.getMessage());
        }
        out().flush();
        return ExitCodes.OK;
    }
}
