package io.edgesync.agent.tables;

import io.edgesync.shared.tables.TableDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One table of a SQLite file the agent syncs (docs/edge-agent.md, "Table sources"): the file, the
 * table, its key column, its time column (rows are read in its order) and the central table it is
 * registered as. Written in {@code agent.tables.sources} as {@code file|table|key|time|central},
 * entries separated by {@code ;}; key, time and central may be left out (the built-in definitions
 * of {@code desktop_activity_sessions} and {@code file_change_events} fill them in).
 */
public record TableSource(Path file, String table, String keyColumn, String timeColumn, String centralTable) {
    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public TableSource {
        Objects.requireNonNull(file, "file");
        checkName(table, "table");
        checkName(keyColumn, "key column");
        if (timeColumn != null) {
            checkName(timeColumn, "time column");
        }
        if (!TableDefinition.isIdentifier(centralTable)) {
            throw new IllegalArgumentException("central table " + centralTable
                    + " must be lower case letters, digits and _");
        }
    }

    /** A source with the built-in key and time of its table when it has one, else key {@code id} and no time. */
    public static TableSource of(Path file, String table) {
        return BuiltInTables.find(table)
                .map(b -> new TableSource(file, table, b.keyColumn(), b.timeColumn(), table))
                .orElseGet(() -> new TableSource(file, table, "id", null, table.toLowerCase(java.util.Locale.ROOT)));
    }

    /** Parses {@code agent.tables.sources}; an empty text is no source. */
    public static List<TableSource> parseList(String text) {
        List<TableSource> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String entry : text.split("[;\\n]")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] f = entry.trim().split("\\|", -1);
            if (f.length < 2 || f.length > 5 || f[0].isBlank()) {
                throw new IllegalArgumentException("entry '" + entry.trim() + "' is not file|table|key|time|central");
            }
            TableSource base = of(Path.of(f[0].trim()), f[1].trim());
            String key = f.length > 2 && !f[2].isBlank() ? f[2].trim() : base.keyColumn();
            String time = f.length > 3 && !f[3].isBlank() ? f[3].trim() : base.timeColumn();
            String central = f.length > 4 && !f[4].isBlank() ? f[4].trim() : base.centralTable();
            out.add(new TableSource(base.file(), base.table(), key, time, central));
        }
        return out;
    }

    /** How this source is named in logs and in the agent's own records: {@code file|table}. */
    public String id() {
        return file.toAbsolutePath().normalize() + "|" + table;
    }

    static String quote(String name) {
        return "\"" + name + "\"";
    }

    private static void checkName(String name, String what) {
        if (name == null || !SOURCE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' must be letters, digits and _");
        }
    }
}
