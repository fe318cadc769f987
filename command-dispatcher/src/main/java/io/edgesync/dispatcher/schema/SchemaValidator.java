package io.edgesync.dispatcher.schema;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.model.EdgeInternalTables;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteException;

/**
 * Checks a new edge migration against a scratch SQLite database (in memory) that holds the agent's
 * internal tables (one sentinel row each) and every migration registered before it: {@code upSql}
 * must run, then {@code downSql} (when given) must run after it, each inside a savepoint that must
 * still be there afterwards (so no statement may begin, commit or roll back a transaction), and
 * neither may change the internal tables (their schema, their rows) or {@code PRAGMA user_version}.
 * Every problem is a 400 {@code invalid_request} naming the field, with SQLite's error in details.
 */
public final class SchemaValidator {

    public void validate(List<EdgeSchema> previous, String upSql, String downSql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement s = c.createStatement()) {
            for (String table : EdgeInternalTables.NAMES) {
                s.executeUpdate("CREATE TABLE " + table + " (sentinel TEXT)");
                s.executeUpdate("INSERT INTO " + table + " (sentinel) VALUES ('" + table + "')");
            }
            for (EdgeSchema p : previous) {
                run(s, p.upSql(), "upSql", "registered version " + p.version() + " no longer applies");
            }
            Map<String, String> before = internal(s);
            run(s, upSql, "upSql", null);
            requireUntouched(before, internal(s), "upSql");
            if (downSql != null) {
                run(s, downSql, "downSql", null);
                requireUntouched(before, internal(s), "downSql");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("scratch SQLite database failed: " + e.getMessage(), e);
        }
    }

    private static void run(Statement s, String sql, String field, String context) throws SQLException {
        s.executeUpdate("SAVEPOINT edge_migration");
        try {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            try {
                s.executeUpdate("ROLLBACK TO edge_migration");
                s.executeUpdate("RELEASE edge_migration");
            } catch (SQLException gone) {
                // the statement ended the savepoint before failing; the scratch database is discarded anyway
            }
            throw rejected(field, (context == null ? field + " fails on SQLite" : context), e);
        }
        try {
            s.executeUpdate("RELEASE edge_migration");
        } catch (SQLException e) {
            throw rejected(field, field + " must not begin, commit or roll back a transaction: the agent applies"
                    + " a plan's migrations in one transaction", e);
        }
    }

    /** The internal tables' schema objects and rows, and user_version. */
    private static Map<String, String> internal(Statement s) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")) {
            while (rs.next()) {
                if (EdgeInternalTables.isInternal(rs.getString(3)) || EdgeInternalTables.isInternal(rs.getString(2))) {
                    out.put(rs.getString(1) + ":" + rs.getString(2), rs.getString(4));
                }
            }
        }
        List<String> tables = new ArrayList<>(EdgeInternalTables.NAMES);
        java.util.Collections.sort(tables);
        for (String table : tables) {
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                StringBuilder rows = new StringBuilder();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        rows.append(rs.getString(i)).append('\u0001');
                    }
                    rows.append('\n');
                }
                out.put("rows:" + table, rows.toString());
            } catch (SQLException e) {
                out.put("rows:" + table, "unreadable");
            }
        }
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            out.put("user_version", rs.getString(1));
        }
        return out;
    }

    private static void requireUntouched(Map<String, String> before, Map<String, String> after, String field) {
        if (!before.equals(after)) {
            List<String> changed = new ArrayList<>();
            for (String key : after.keySet()) {
                if (!java.util.Objects.equals(before.get(key), after.get(key))) {
                    changed.add(key);
                }
            }
            for (String key : before.keySet()) {
                if (!after.containsKey(key)) {
                    changed.add(key);
                }
            }
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + " must not touch the agent's internal tables "
                    + EdgeInternalTables.NAMES.stream().sorted().toList() + " or PRAGMA user_version",
                    Map.of("field", field, "changed", changed), null);
        }
    }

    private static ApiException rejected(String field, String message, SQLException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("sqliteError", e.getMessage());
        if (e instanceof SQLiteException se) {
            details.put("sqliteCode", se.getResultCode().name());
        }
        return new ApiException(ErrorCode.INVALID_REQUEST, message, details, null);
    }
}
