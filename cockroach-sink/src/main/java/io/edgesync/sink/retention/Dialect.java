package io.edgesync.sink.retention;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** Which database answers: decided once at start-up from {@code SELECT version()}. */
public enum Dialect {
    COCKROACHDB, POSTGRESQL;

    public static Dialect fromVersion(String version) {
        return version != null && version.toLowerCase(Locale.ROOT).contains("cockroachdb") ? COCKROACHDB : POSTGRESQL;
    }

    public static Dialect detect(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version()")) {
            rs.next();
            return fromVersion(rs.getString(1));
        }
    }
}
