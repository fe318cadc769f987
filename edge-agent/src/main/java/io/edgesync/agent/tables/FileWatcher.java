package io.edgesync.agent.tables;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The file watcher collector: a {@link WatchService} over every directory under the configured
 * roots (new directories registered as they appear) that writes one {@code file_change_events}
 * row per created, modified, deleted or moved file matching the include globs and none of the
 * exclude globs. A delete and a create of the same file (same file key) seen together are one
 * {@code moved} row with the new path. Rows are written in one transaction per batch of events;
 * the database it writes is never recorded, even under a root.
 */
public final class FileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);
    private static final long SETTLE_MS = 50;

    /** One change seen, before it is written. */
    record Change(String type, Path path, Path root, long size, boolean symlink) {
    }

    private final List<Path> roots;
    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;
    private final Connection db;
    private final String dbName;
    private final WatchService service;
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final Map<Path, Object> fileKeys = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    private FileWatcher(TableSyncConfig config, Connection db, Path database) throws IOException {
        this.dbName = database.toAbsolutePath().normalize().toString();
        this.roots = config.watcherRoots().stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.include = matchers(config.watcherInclude());
        this.exclude = matchers(config.watcherExclude());
        this.db = db;
        this.service = FileSystems.getDefault().newWatchService();
        for (Path root : roots) {
            registerTree(root);
        }
        this.thread = new Thread(this::run, "edge-agent-file-watcher");
        this.thread.setDaemon(true);
    }

    /** Creates {@code file_change_events} in {@code database} when missing and starts watching. */
    public static FileWatcher start(TableSyncConfig config, Path database) {
        try {
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setBusyTimeout(SourceTable.BUSY_TIMEOUT_MS);
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath(), sqlite.toProperties());
            try (Statement s = c.createStatement()) {
                s.execute(BuiltInTables.FILE_CHANGE_EVENTS.ddl());
            }
            FileWatcher w = new FileWatcher(config, c, database);
            w.thread.start();
            LOG.info("event=file_watcher_started roots={} database={}", w.roots, database);
            return w;
        } catch (SQLException e) {
            throw new IllegalStateException("file watcher cannot open " + database + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("file watcher cannot watch " + config.watcherRoots(), e);
        }
    }

    private void run() {
        while (!stopped) {
            try {
                WatchKey first = service.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<WatchKey> keys = new ArrayList<>(List.of(first));
                WatchKey more;
                while ((more = service.poll(SETTLE_MS, TimeUnit.MILLISECONDS)) != null) {
                    keys.add(more);
                }
                write(changes(keys));
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException | SQLException e) {
                LOG.warn("event=file_watcher_error reason=\"{}\"", e.toString());
            }
        }
    }

    private List<Change> changes(List<WatchKey> keys) {
        Map<Object, Change> deletedByFileKey = new LinkedHashMap<>();
        List<Change> deletedUnknown = new ArrayList<>();
        List<Change> out = new ArrayList<>();
        for (WatchKey key : keys) {
            Path dir = dirs.get(key);
            for (WatchEvent<?> event : key.pollEvents()) {
                if (dir == null || event.kind() == OVERFLOW) {
                    continue;
                }
                Path path = dir.resolve((Path) event.context());
                Path root = rootOf(path);
                if (event.kind() == ENTRY_DELETE) {
                    Object fileKey = fileKeys.remove(path);
                    Change c = new Change("deleted", path, root, -1, false);
                    if (fileKey != null) {
                        deletedByFileKey.put(fileKey, c);
                    } else {
                        deletedUnknown.add(c);
                    }
                    continue;
                }
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    if (event.kind() == ENTRY_CREATE) {
                        registerQuietly(path);
                    }
                    continue;
                }
                Object fileKey = fileKey(path);
                if (fileKey != null) {
                    fileKeys.put(path, fileKey);
                }
                if (event.kind() == ENTRY_CREATE && fileKey != null && deletedByFileKey.remove(fileKey) != null) {
                    out.add(change("moved", path, root));
                } else {
                    out.add(change(event.kind() == ENTRY_CREATE ? "created" : "modified", path, root));
                }
            }
            if (!key.reset()) {
                dirs.remove(key);
            }
        }
        out.addAll(deletedByFileKey.values());
        out.addAll(deletedUnknown);
        return out.stream().filter(c -> matches(c.path(), c.root())).toList();
    }

    private void write(List<Change> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        db.setAutoCommit(false);
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO file_change_events (event_time, event_time_iso,"
                + " event_type, file_path, relative_path, file_name, file_extension, file_size, is_symlink,"
                + " monitored_root, project_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Instant now = Instant.now();
            for (Change c : changes) {
                Path relative = c.root().relativize(c.path());
                String name = c.path().getFileName().toString();
                int dot = name.lastIndexOf('.');
                ps.setDouble(1, now.toEpochMilli() / 1000.0);
                ps.setString(2, now.toString());
                ps.setString(3, c.type());
                ps.setString(4, c.path().toString());
                ps.setString(5, relative.toString());
                ps.setString(6, name);
                ps.setString(7, dot > 0 ? name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT) : null);
                if (c.size() >= 0) {
                    ps.setLong(8, c.size());
                } else {
                    ps.setObject(8, null);
                }
                ps.setInt(9, c.symlink() ? 1 : 0);
                ps.setString(10, c.root().toString());
                ps.setString(11, relative.getNameCount() > 1 ? relative.getName(0).toString()
                        : c.root().getFileName() == null ? null : c.root().getFileName().toString());
                ps.setString(12, now.toString());
                ps.addBatch();
            }
            ps.executeBatch();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    private Change change(String type, Path path, Path root) {
        boolean symlink = Files.isSymbolicLink(path);
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            size = -1;
        }
        return new Change(type, path, root, size, symlink);
    }

    private boolean matches(Path path, Path root) {
        if (path.toString().startsWith(dbName)) {
            return false; // its own database (and -wal, -shm) when it lies under a root
        }
        Path relative = root.relativize(path);
        return include.stream().anyMatch(m -> m.matches(relative)) && exclude.stream().noneMatch(m -> m.matches(relative));
    }

    private Path rootOf(Path path) {
        return roots.stream().filter(path::startsWith).max(java.util.Comparator.comparingInt(Path::getNameCount))
                .orElse(roots.get(0));
    }

    private void registerTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                dirs.put(dir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.fileKey() != null) {
                    fileKeys.put(file, attrs.fileKey());
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void registerQuietly(Path dir) {
        try {
            registerTree(dir);
        } catch (IOException e) {
            LOG.warn("event=file_watcher_register_failed dir={} reason=\"{}\"", dir, e.getMessage());
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** A glob {@code **}{@code /x} also matches {@code x} at the root itself (as in .gitignore). */
    private static List<PathMatcher> matchers(List<String> globs) {
        List<PathMatcher> out = new ArrayList<>();
        for (String g : globs) {
            out.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
            if (g.startsWith("**/")) {
                out.add(FileSystems.getDefault().getPathMatcher("glob:" + g.substring(3)));
            }
        }
        return out;
    }

    @Override
    public void close() {
        stopped = true;
        try {
            service.close();
        } catch (IOException e) {
            // closing
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            db.close();
        } catch (SQLException e) {
            // closing
        }
    }
}
