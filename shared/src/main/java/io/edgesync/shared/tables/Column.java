package io.edgesync.shared.tables;

import java.util.Objects;

/** One column of a synced table: its name (as in the source and the central table) and type. */
public record Column(String name, ColumnType type) {
    public Column {
        TableDefinition.checkIdentifier(name);
        Objects.requireNonNull(type, "type");
    }
}
