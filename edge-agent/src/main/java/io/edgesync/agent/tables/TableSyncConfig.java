package io.edgesync.agent.tables;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Table sync and file watcher settings of the agent (docs/edge-agent.md).
 *
 * @param maxRowsPerCycle rows one cycle sends of one source at most; more: the next cycle starts at once
 * @param watcherDatabase the file the watcher writes {@code file_change_events} into; null: the agent's database
 */
public record TableSyncConfig(List<TableSource> sources, int batchSize, int maxRowsPerCycle, List<Path> watcherRoots,
                              List<String> watcherInclude, List<String> watcherExclude, Path watcherDatabase) {

    public static final Setting<List<TableSource>> SOURCES = new Setting<>("agent.tables.sources", "",
            "Tables of SQLite files to sync: entries separated by `;`, each the fields file, table, key, time and"
                    + " central joined by a vertical bar, see docs/edge-agent.md (key, time and"
                    + " central may be left out: desktop_activity_sessions and file_change_events have built-in ones;"
                    + " otherwise key `id`, no time, central = table). Empty: none.", false,
            "entries of bar-separated fields separated by ;", TableSource::parseList);
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("agent.tables.batch-size", 100, 1, 5000,
            "Rows per table upload (at most the gateway's gateway.max-batch-records; halved when it answers 413).");
    public static final Setting<Integer> MAX_ROWS_PER_CYCLE = Setting.integer("agent.tables.max-rows-per-cycle",
            10_000, 1, 100_000_000, "Rows one sync cycle sends of one source at most; with more left the next cycle"
                    + " (telemetry first, then the sources) starts at once, so a large backlog does not hold up telemetry.");
    public static final Setting<List<String>> WATCHER_ROOTS = list("agent.watcher.roots", "",
            "Directories the file watcher watches, recursively (comma-separated); empty turns it off.");
    public static final Setting<List<String>> WATCHER_INCLUDE = list("agent.watcher.include", "**",
            "Globs (comma-separated, relative to the root) of files the watcher records.");
    public static final Setting<List<String>> WATCHER_EXCLUDE = list("agent.watcher.exclude",
            "**/.git/**,**/*.swp,**/*~",
            "Globs (comma-separated, relative to the root; **/x also matches x at the root) the watcher ignores.");
    public static final Setting<String> WATCHER_DATABASE = Setting.string("agent.watcher.database", "",
            "SQLite file the watcher writes file_change_events into (synced as a source); empty: agent.database.");

    public static final List<Setting<?>> SETTINGS = List.of(SOURCES, BATCH_SIZE, MAX_ROWS_PER_CYCLE, WATCHER_ROOTS, WATCHER_INCLUDE,
            WATCHER_EXCLUDE, WATCHER_DATABASE);

    public TableSyncConfig {
        sources = List.copyOf(sources);
        watcherRoots = List.copyOf(watcherRoots);
        watcherInclude = List.copyOf(watcherInclude);
        watcherExclude = List.copyOf(watcherExclude);
    }

    /** No sources, no watcher. */
    public static TableSyncConfig none() {
        return new TableSyncConfig(List.of(), 100, 10_000, List.of(), List.of("**"), List.of(), null);
    }

    public static TableSyncConfig from(ConfigSource source) {
        String db = source.get(WATCHER_DATABASE);
        return new TableSyncConfig(source.get(SOURCES), source.get(BATCH_SIZE), source.get(MAX_ROWS_PER_CYCLE),
                source.get(WATCHER_ROOTS).stream().map(Path::of).toList(), source.get(WATCHER_INCLUDE),
                source.get(WATCHER_EXCLUDE), db == null || db.isBlank() ? null : Path.of(db));
    }

    /**
     * The sources to sync: the configured ones plus, when the watcher is on and not already listed,
     * {@code file_change_events} of the file it writes.
     */
    public List<TableSource> effectiveSources(Path agentDatabase) {
        List<TableSource> out = new ArrayList<>(sources);
        if (!watcherRoots.isEmpty()) {
            TableSource watched = TableSource.of(watcherFile(agentDatabase), BuiltInTables.FILE_CHANGE_EVENTS.name());
            if (out.stream().noneMatch(s -> s.id().equals(watched.id()))) {
                out.add(watched);
            }
        }
        return out;
    }

    public Path watcherFile(Path agentDatabase) {
        return watcherDatabase != null ? watcherDatabase : agentDatabase;
    }

    private static Setting<List<String>> list(String key, String defaultValue, String description) {
        return new Setting<>(key, defaultValue, description, false, "comma-separated text",
                s -> s == null || s.isBlank() ? List.of()
                        : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList());
    }
}
