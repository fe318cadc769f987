package io.edgesync.sink.tables;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.tables.Column;
import io.edgesync.shared.tables.TableDefinition;
import io.edgesync.shared.tables.TableRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The upsert of one synced table, written from its definition (identifiers are checked lower-case
 * SQL names, so they go in unquoted): insert, or on (host_identifier, key) replace the columns when
 * the incoming {@code row_version} is higher, counting applied versions in {@code deliveries}.
 * {@code INSERT ... ON CONFLICT ... DO UPDATE ... WHERE} runs on CockroachDB and PostgreSQL.
 */
final class TableUpsert {
    private final TableDefinition table;
    private final String sql;

    TableUpsert(TableDefinition table) {
        this.table = table;
        List<String> names = table.columns().stream().map(Column::name).toList();
        String columns = String.join(", ", names);
        String params = names.stream().map(n -> "?").collect(Collectors.joining(", "));
        String updates = names.stream().filter(n -> !n.equals(table.keyColumn()))
                .map(n -> n + " = excluded." + n).collect(Collectors.joining(", "));
        this.sql = "INSERT INTO " + table.name() + " (host_identifier, " + columns + ", row_version, deliveries, synced_at)"
                + " VALUES (?, " + params + ", ?, 1, now())"
                + " ON CONFLICT (host_identifier, " + table.keyColumn() + ") DO UPDATE SET "
                + (updates.isEmpty() ? "" : updates + ", ")
                + "row_version = excluded.row_version, deliveries = " + table.name() + ".deliveries + 1,"
                + " synced_at = excluded.synced_at"
                + " WHERE " + table.name() + ".row_version < excluded.row_version";
    }

    TableDefinition definition() {
        return table;
    }

    String sql() {
        return sql;
    }

    /** Upserts rows (at most one per host and key) in the caller's transaction. */
    void write(Connection c, List<TableRow> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (TableRow row : rows) {
                int i = 1;
                ps.setString(i++, row.hostId());
                for (Column column : table.columns()) {
                    bind(ps, i++, column, row.values().get(column.name()));
                }
                ps.setLong(i, row.version());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, int index, Column column, JsonNode value) throws SQLException {
        if (value == null || value.isNull()) {
            ps.setNull(index, switch (column.type()) {
                case TEXT -> Types.VARCHAR;
                case INTEGER -> Types.BIGINT;
                case REAL -> Types.DOUBLE;
                case BOOLEAN -> Types.BOOLEAN;
                case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
            });
            return;
        }
        switch (column.type()) {
            case TEXT -> ps.setString(index, value.asText());
            case INTEGER -> ps.setLong(index, value.asLong());
            case REAL -> ps.setDouble(index, value.asDouble());
            case BOOLEAN -> ps.setBoolean(index, value.isBoolean() ? value.asBoolean() : value.asLong() != 0);
            case TIMESTAMP -> ps.setObject(index, OffsetDateTime.parse(value.asText()));
        }
    }
}
