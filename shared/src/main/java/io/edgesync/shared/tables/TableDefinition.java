package io.edgesync.shared.tables;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A table registered for sync (a row of the central {@code sync_tables}, published on
 * {@code sync.table-registry}): its central name, the key column that identifies a row of one host,
 * the time column rows are read in order of, and every column. The central table has these columns
 * plus {@code host_identifier}, {@code row_version}, {@code deliveries} and {@code synced_at}, keyed
 * (host_identifier, key). See docs/database.md.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableDefinition(String name, String keyColumn, String timeColumn, List<Column> columns) {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Columns every central synced table has besides the defined ones. */
    public static final List<String> RESERVED = List.of("host_identifier", "row_version", "deliveries", "synced_at");

    public TableDefinition {
        checkIdentifier(name);
        columns = List.copyOf(columns);
        if (columns.stream().noneMatch(c -> c.name().equals(keyColumn))) {
            throw new IllegalArgumentException("table " + name + ": key column " + keyColumn + " is not a column");
        }
        if (timeColumn != null && columns.stream().noneMatch(c -> c.name().equals(timeColumn))) {
            throw new IllegalArgumentException("table " + name + ": time column " + timeColumn + " is not a column");
        }
        for (Column c : columns) {
            if (RESERVED.contains(c.name())) {
                throw new IllegalArgumentException("table " + name + ": column " + c.name() + " is reserved");
            }
        }
        if (columns.stream().map(Column::name).distinct().count() != columns.size()) {
            throw new IllegalArgumentException("table " + name + ": a column is named twice");
        }
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    @JsonIgnore
    public Column key() {
        return column(keyColumn).orElseThrow();
    }

    /** Lower-case SQL identifiers only, so a name can be put into SQL without quoting. */
    public static String checkIdentifier(String identifier) {
        Objects.requireNonNull(identifier, "identifier");
        if (!IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("not a lower-case SQL identifier: " + identifier);
        }
        return identifier;
    }

    public static boolean isIdentifier(String identifier) {
        return identifier != null && IDENTIFIER.matcher(identifier).matches();
    }
}
