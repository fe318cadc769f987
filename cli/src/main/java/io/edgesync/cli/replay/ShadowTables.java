package io.edgesync.cli.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Creates, checks and drops a replay's shadow tables ({@link ReplayPlan#table()}, {@link ReplayPlan#conflictTable()}). */
final class ShadowTables {
    private static final String DDL = load();

    private ShadowTables() {
    }

    static void create(DataSource db, ReplayPlan plan) throws SQLException {
        String ddl = DDL.replace("{table}", plan.table()).replace("{conflicts}", plan.conflictTable());
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String statement : ddl.split(";")) {
                String sql = statement.lines().filter(l -> !l.strip().startsWith("--"))
                        .reduce("", (a, b) -> a + "\n" + b).strip();
                if (!sql.isEmpty()) {
                    s.execute(sql);
                }
            }
        }
    }

    /** Whether the shadow telemetry table exists (a replay of this name ran). */
    static boolean exist(DataSource db, ReplayPlan plan) throws SQLException {
        try (Connection c = db.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, null, plan.table(), new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    static void drop(DataSource db, ReplayPlan plan) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + plan.table());
            s.execute("DROP TABLE IF EXISTS " + plan.conflictTable());
        }
    }

    private static String load() {
        try (InputStream in = ShadowTables.class.getResourceAsStream("shadow-tables.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
