package io.edgesync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.Rejection;
import io.edgesync.shared.model.StorableText;
import java.util.Map;

/**
 * The bounds of an upload beyond the per-record rules of {@link RecordValidator}: the envelope's
 * {@code deviceId} and {@code batchId} (400 {@code invalid_request}) and the size of one record
 * (per record {@code record_too_large}). Listed in docs/api.md.
 */
final class Envelope {
    private Envelope() {
    }

    /** 400 unless the envelope's deviceId and batchId, when present, are within their bounds. */
    static void check(BatchParser.Batch batch) {
        if (batch.deviceId() != null && !RecordValidator.validDeviceId(batch.deviceId())) {
            throw invalid("deviceId", "deviceId must be 1-" + RecordValidator.MAX_ID_LENGTH
                    + " characters without NUL or lone surrogates");
        }
        String batchId = batch.batchId();
        if (batchId != null && (batchId.isBlank() || batchId.length() > RecordValidator.MAX_ID_LENGTH
                || !StorableText.ok(batchId))) {
            throw invalid("batchId", "batchId must be 1-" + RecordValidator.MAX_ID_LENGTH
                    + " characters without NUL or lone surrogates");
        }
    }

    /** The rejection of a record larger than {@link RecordValidator#MAX_RECORD_BYTES}. */
    static Rejection tooLarge(int index, JsonNode node) {
        JsonNode id = node.get("id");
        String named = id != null && id.isTextual() && id.asText().length() <= RecordValidator.MAX_TEXT_LENGTH
                && StorableText.ok(id.asText()) ? id.asText() : null;
        return new Rejection(index, named, RecordValidator.RECORD_TOO_LARGE,
                "the record is larger than " + RecordValidator.MAX_RECORD_BYTES + " bytes as sent");
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message, Map.of("field", field), null);
    }
}
