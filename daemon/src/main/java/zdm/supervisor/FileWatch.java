package zdm.supervisor;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import zdm.log.DaemonLog;

/**
 * Watches files for an app's {@code watch:} with the JDK's WatchService (inotify on Linux): every
 * directory under the watched paths, except the ignored ones, and directories created later. Reports
 * each change (a path) to {@code onChange} from its own thread; debouncing is the caller's. pm2's
 * {@code ignore_watch} patterns are globs, matched against a path relative to the watched root and
 * against each of its names ({@code node_modules}, {@code *.log}, {@code .*}).
 */
final class FileWatch implements AutoCloseable {
    /** A bound on the directories watched, so a watch of / or a huge tree does not eat the inotify limit. */
    static final int MAX_DIRECTORIES = 10_000;

    private final WatchService service;
    /** Only the watch thread ({@link #run}) reads and fills it: no lock, so no I/O is ever done under one. */
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final List<Path> roots;
    private final List<PathMatcher> ignored;
    /** zdm's home, when it lies under a watched directory: its database, logs and sockets change all the time. */
    private final Path home;
    private final Consumer<Path> onChange;
    private final String app;

    private FileWatch(String app, WatchService service, List<Path> roots, List<String> ignore, Path home,
                      Consumer<Path> onChange) {
        this.app = app;
        this.home = home == null ? null : home.toAbsolutePath().normalize();
        this.service = service;
        this.roots = roots;
        this.ignored = ignore.stream().map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        this.onChange = onChange;
    }

    /** Starts watching; a path that cannot be watched is logged and skipped (the app runs regardless). */
    static FileWatch start(String app, List<Path> roots, List<String> ignore, Path home, Consumer<Path> onChange) {
        WatchService service;
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            DaemonLog.info(app + ": cannot watch files: " + e.getMessage());
            return null;
        }
        var watch = new FileWatch(app, service, roots, ignore, home, onChange);
        Thread.ofPlatform().daemon().name("zdm-watch-" + app).start(watch::run);
        return watch;
    }

    private void run() {
        try {
            for (var root : roots) {
                if (Files.isDirectory(root)) registerTree(root);
                else if (root.getParent() != null && Files.isDirectory(root.getParent())) register(root.getParent());
            }
            while (true) {
                WatchKey key = service.take();
                Path dir = dirs.get(key);
                for (var event : key.pollEvents()) {
                    if (event.kind() == OVERFLOW || dir == null) {
                        onChange.accept(dir == null ? roots.getFirst() : dir);
                        continue;
                    }
                    Path path = dir.resolve((Path) event.context());
                    if (isIgnored(path)) continue;
                    if (event.kind() == ENTRY_CREATE && Files.isDirectory(path)) registerTree(path);
                    onChange.accept(path);
                }
                key.reset();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed: the app was deleted, its watch changed, or the daemon stops
        } catch (IOException e) {
            DaemonLog.info(app + ": file watching stopped: " + e.getMessage());
        }
    }

    /** Only changes under a root count (a file root: only that file). */
    private boolean isIgnored(Path path) {
        if (home != null && path.toAbsolutePath().normalize().startsWith(home)) return true;
        for (var root : roots) {
            if (!path.startsWith(root)) continue;
            if (path.equals(root)) return false;
            Path relative = root.relativize(path);
            for (var m : ignored) {
                if (m.matches(relative)) return true;
                for (var name : relative) if (m.matches(name)) return true;
            }
            return false;
        }
        return true;
    }

    private void registerTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(top) && isIgnored(dir)) return FileVisitResult.SKIP_SUBTREE;
                return register(dir) ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable: not watched
            }
        });
    }

    private boolean register(Path dir) throws IOException {
        if (dirs.size() >= MAX_DIRECTORIES) {
            DaemonLog.info(app + ": watching the first " + MAX_DIRECTORIES + " directories only; narrow watch: or ignore_watch:");
            return false;
        }
        dirs.put(dir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), dir);
        return true;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
