package io.edgesync.shared.tables;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The value types a synced table's column may have, their JSON form on the wire and their central
 * SQL type (valid on CockroachDB and PostgreSQL). See docs/database.md.
 */
public enum ColumnType {
    /** A JSON string; central {@code TEXT}. */
    TEXT("TEXT"),
    /** A JSON integer (64 bits); central {@code BIGINT}. */
    INTEGER("BIGINT"),
    /** A JSON number; central {@code DOUBLE PRECISION}. */
    REAL("DOUBLE PRECISION"),
    /** JSON true/false, or 0/1 as SQLite stores booleans; central {@code BOOLEAN}. */
    BOOLEAN("BOOLEAN"),
    /** An ISO-8601 string with offset ({@code 2026-12-02T10:15:30Z}); central {@code TIMESTAMPTZ}. */
    TIMESTAMP("TIMESTAMPTZ");

    private final String sqlType;

    ColumnType(String sqlType) {
        this.sqlType = sqlType;
    }

    public String sqlType() {
        return sqlType;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ColumnType fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** True when {@code value} (not null) is of this type. */
    public boolean accepts(JsonNode value) {
        return switch (this) {
            case TEXT -> value.isTextual();
            case INTEGER -> value.isIntegralNumber() && value.canConvertToLong();
            case REAL -> value.isNumber();
            case BOOLEAN -> value.isBoolean() || (value.isIntegralNumber() && (value.asLong() == 0 || value.asLong() == 1));
            case TIMESTAMP -> value.isTextual() && parsesAsTimestamp(value.asText());
        };
    }

    private static boolean parsesAsTimestamp(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
