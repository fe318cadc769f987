package io.edgesync.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Edge schema migrations on a real SQLite store: in order, all or none, never twice. */
class EdgeSchemaStoreTest {
    Path dir;
    LocalStore store;
    EdgeSchemaStore schemas;

    @BeforeEach
    void open() {
        dir = TempDirs.create("edge-schema-");
        store = LocalStore.open(dir.resolve("agent.db"), Clock.systemUTC());
        schemas = new EdgeSchemaStore(store);
    }

    @AfterEach
    void close() {
        store.close();
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void migrationsApplyInVersionOrderAndAreRecordedOnce() throws Exception {
        EdgeSchemaStore.Applied applied = schemas.apply(List.of(
                new EdgeSchemaStore.Migration(5, "title", "ALTER TABLE activity ADD COLUMN title TEXT"),
                new EdgeSchemaStore.Migration(1, "activity", "CREATE TABLE activity (id INTEGER PRIMARY KEY, app TEXT)")),
                "s1");
        assertEquals(List.of(1L, 5L), applied.versions());
        assertEquals(5, schemas.version());
        exec("INSERT INTO activity (id, app, title) VALUES (1, 'editor', 'notes')");

        // the same plan again (handed out again after a crash) applies nothing
        EdgeSchemaStore.Applied again = schemas.apply(List.of(
                new EdgeSchemaStore.Migration(1, "activity", "CREATE TABLE activity (id INTEGER PRIMARY KEY, app TEXT)"),
                new EdgeSchemaStore.Migration(5, "title", "ALTER TABLE activity ADD COLUMN title TEXT")), "s1");
        assertEquals(List.of(), again.versions());
        assertEquals(List.of(1L, 5L), schemas.appliedVersions());
    }

    @Test
    void aFailingMigrationRollsBackTheWholePlanAndTheStoreIsExactlyAsBefore() throws Exception {
        schemas.apply(List.of(new EdgeSchemaStore.Migration(1, "activity",
                "CREATE TABLE activity (id INTEGER PRIMARY KEY, app TEXT)")), "s1");
        exec("INSERT INTO activity (id, app) VALUES (1, 'editor'), (2, 'editor'), (3, 'mail')");
        String before = dump();

        EdgeSchemaStore.MigrationFailed failed = assertThrows(EdgeSchemaStore.MigrationFailed.class,
                () -> schemas.apply(List.of(
                        new EdgeSchemaStore.Migration(2, "extra", "CREATE TABLE extra (x INTEGER); "
                                + "INSERT INTO extra VALUES (1); UPDATE activity SET app = 'x' WHERE id = 3"),
                        new EdgeSchemaStore.Migration(3, "unique app", "CREATE UNIQUE INDEX activity_app ON activity (app)")),
                        "s2"));
        assertEquals(3, failed.version());
        assertTrue(failed.getMessage().contains("UNIQUE"), failed.getMessage());
        assertEquals(before, dump(), "schema and rows as before");
        assertEquals(1, schemas.version());
    }

    @Test
    void aMigrationTouchingTheAgentsOwnTablesIsRolledBack() {
        String before = dump();
        assertThrows(EdgeSchemaStore.MigrationFailed.class, () -> schemas.apply(List.of(
                new EdgeSchemaStore.Migration(1, "sneaky", "CREATE TABLE mine (x); CREATE INDEX sneaky ON sync_log (error)")),
                "s1"));
        assertEquals(before, dump());
        assertEquals(0, schemas.version());
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = store.connection().createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** Every schema object and every row of every table. */
    private String dump() {
        try (Statement s = store.connection().createStatement()) {
            StringBuilder out = new StringBuilder();
            List<String> tables = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
                            .append('\n');
                    if ("table".equals(rs.getString(1))) {
                        tables.add(rs.getString(2));
                    }
                }
            }
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\" ORDER BY 1")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        out.append(t).append(':');
                        for (int i = 1; i <= n; i++) {
                            out.append(rs.getString(i)).append('|');
                        }
                        out.append('\n');
                    }
                }
            }
            return out.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
