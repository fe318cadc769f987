package io.edgesync.gateway.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the two accepted body shapes with a streaming parser: the envelope
 * {@code {"deviceId", "batchId", "records": [...]}} (fields in any order) or a bare array of records.
 * Only each record becomes a (small) tree; counting stops at the record limit.
 */
public final class BatchParser {
    private static final ObjectMapper MAPPER = Json.mapper();

    /**
     * A parsed body; deviceId and batchId are null for a bare array or when the envelope omits them.
     * {@code json} is the body the records' offsets point into.
     */
    public record Batch(String deviceId, String batchId, List<RawRecord> records, byte[] json) {
    }

    /**
     * One element of the records array and where its bytes are in the body: [start, end). A plain
     * record object comes as {@code fast} fields (no tree); anything else as the parsed {@code tree}.
     */
    public record RawRecord(JsonNode tree, FastRecord fast, int start, int end) {
        /** The element as a tree, parsed from its bytes if it was read on the fast path. */
        public JsonNode node(byte[] body) {
            if (tree != null) {
                return tree;
            }
            try {
                return MAPPER.readTree(body, start, end - start);
            } catch (IOException e) {
                throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid JSON");
            }
        }
    }

    private final int maxRecords;

    public BatchParser(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    public Batch parse(byte[] json) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)) {
            JsonToken first = p.nextToken();
            Batch batch;
            if (first == JsonToken.START_ARRAY) {
                batch = new Batch(null, null, records(p), json);
            } else if (first == JsonToken.START_OBJECT) {
                batch = envelope(p, json);
            } else {
                throw shape(first == null ? "body is empty" : "body must be a JSON object or array");
            }
            if (p.nextToken() != null) {
                throw new ApiException(ErrorCode.MALFORMED_BODY, "unexpected content after the JSON body");
            }
            return batch;
        } catch (JsonParseException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid JSON: " + e.getOriginalMessage(),
                    Map.of("line", e.getLocation().getLineNr(), "column", e.getLocation().getColumnNr()), null);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid JSON");
        }
    }

    private Batch envelope(JsonParser p, byte[] json) throws IOException {
        String deviceId = null;
        String batchId = null;
        List<RawRecord> records = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "deviceId" -> deviceId = text(p, value, field);
                case "batchId" -> batchId = text(p, value, field);
                case "records" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw shape("records must be an array");
                    }
                    records = records(p);
                }
                default -> p.skipChildren();
            }
        }
        if (records == null) {
            throw shape("the envelope has no records array");
        }
        return new Batch(deviceId, batchId, records, json);
    }

    private List<RawRecord> records(JsonParser p) throws IOException {
        List<RawRecord> records = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid JSON: the records array is not closed");
            }
            if (records.size() == maxRecords) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "batch has more than " + maxRecords
                        + " records", Map.of("maxRecords", maxRecords), null);
            }
            int start = (int) p.currentTokenLocation().getByteOffset();
            if (t == JsonToken.START_OBJECT) {
                FastRecord fast = FastRecord.read(p, MAPPER);
                records.add(new RawRecord(null, fast, start, (int) p.currentLocation().getByteOffset()));
            } else {
                JsonNode node = MAPPER.readTree(p);
                records.add(new RawRecord(node, null, start, (int) p.currentLocation().getByteOffset()));
            }
        }
        return records;
    }

    private static String text(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw shape(field + " must be a string");
        }
        return p.getText();
    }

    private static ApiException shape(String message) {
        return new ApiException(ErrorCode.MALFORMED_BODY, message
                + "; expected {\"deviceId\", \"batchId\", \"records\": [...]} or an array of records");
    }
}
