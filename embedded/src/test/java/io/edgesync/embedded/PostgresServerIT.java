package io.edgesync.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgesync.shared.db.Database;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

    @Test
    void persistentServerKeepsMigratedSchemaAndRowsAcrossRestart() throws Exception {
        Path dir = TempDirs.create("pg-it-");
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "pg-binaries");
        try {
            // GIVEN a persistent server with the schema migrated and one row written
            try (PostgresServer pg = PostgresServer.start(dir.resolve("data"), binaries, 0, true);
                 HikariDataSource ds = Database.pool(pg.jdbcUrl(), 2, "it")) {
                Database.migrate(ds);
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO devices (device_id, name, device_type) VALUES ('d1', 'n', 't')");
                }
            }
            // WHEN it is started again on the same data directory
            try (PostgresServer pg = PostgresServer.start(dir.resolve("data"), binaries, 0, true);
                 Connection c = DriverManager.getConnection(pg.jdbcUrl());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), current_setting('listen_addresses') FROM devices")) {
                // THEN the row is there and the server listens on loopback only
                rs.next();
                assertEquals(1, rs.getInt(1));
                assertEquals("127.0.0.1", rs.getString(2));
            }
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }
}
