package io.edgesync.shared.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.shared.model.Rejection;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks one uploaded row ({@code {"version": n, "values": {...}}}) against its table's definition:
 * the key column is present and not null, every defined column present has its type. Columns the
 * definition does not name are dropped. The gateway refuses a bad row with a per-row code
 * (docs/api.md); the sink dead-letters a row that fails here.
 */
public final class RowValidator {
    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_FIELD = "invalid_field";
    public static final int MAX_KEY_LENGTH = 256;

    /** The checked values and version, or a rejection. */
    public record Result(ObjectNode values, String key, long version, Rejection rejection) {
        public boolean ok() {
            return rejection == null;
        }
    }

    private RowValidator() {
    }

    /** @param defaultVersion used when the row has no version */
    public static Result validate(int index, JsonNode row, TableDefinition table, long defaultVersion) {
        if (row == null || !row.isObject()) {
            return reject(index, null, INVALID_FIELD, "row must be a JSON object {\"version\", \"values\"}");
        }
        JsonNode values = row.get("values");
        if (values == null || !values.isObject()) {
            return reject(index, null, MISSING_FIELD, "values must be an object of the row's columns");
        }
        JsonNode keyNode = values.get(table.keyColumn());
        if (keyNode == null || keyNode.isNull()) {
            return reject(index, null, MISSING_FIELD, "the key column " + table.keyColumn() + " is required");
        }
        String key = keyNode.isTextual() ? keyNode.asText() : keyNode.toString();
        if (!table.key().type().accepts(keyNode) || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return reject(index, null, INVALID_FIELD, "the key column " + table.keyColumn() + " must be "
                    + table.key().type().wire() + " of at most " + MAX_KEY_LENGTH + " characters");
        }
        long version = defaultVersion;
        JsonNode versionNode = row.get("version");
        if (versionNode != null && !versionNode.isNull()) {
            if (!versionNode.isIntegralNumber() || !versionNode.canConvertToLong() || versionNode.asLong() < 0) {
                return reject(index, key, INVALID_FIELD, "version must be a non-negative integer");
            }
            version = versionNode.asLong();
        }
        ObjectNode checked = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Column column = table.column(field.getKey()).orElse(null);
            if (column == null) {
                continue;
            }
            JsonNode value = field.getValue();
            if (!value.isNull() && !column.type().accepts(value)) {
                return reject(index, key, INVALID_FIELD, "column " + column.name() + " must be "
                        + column.type().wire() + " or null");
            }
            checked.set(column.name(), value);
        }
        return new Result(checked, key, version, null);
    }

    private static Result reject(int index, String key, String code, String message) {
        return new Result(null, key, 0, new Rejection(index, key, code, message));
    }
}
