package io.edgesync.dispatcher.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Binding and reading the column types the dispatcher uses: TIMESTAMPTZ and JSONB. */
public final class Columns {
    private Columns() {
    }

    public static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Binds a JSON value for a {@code CAST(? AS JSONB)} parameter. */
    public static void setJson(PreparedStatement ps, int index, JsonNode value) throws SQLException {
        if (value == null || value.isMissingNode()) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, Json.toString(value));
        }
    }

    public static JsonNode json(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
