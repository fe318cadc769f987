package io.edgesync.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Decodes an upload body: content type, optional gzip with a decoded-size limit, JSON shape. */
public final class UploadReader {
    /** The two accepted shapes, normalised: the envelope's fields, or nulls for a bare array. */
    public record Upload(String deviceId, String batchId, JsonNode records) {
    }

    private final int maxDecodedBytes;

    public UploadReader(int maxDecodedBytes) {
        this.maxDecodedBytes = maxDecodedBytes;
    }

    public Upload read(String contentType, String contentEncoding, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json",
                    Map.of("contentType", String.valueOf(contentType)), null);
        }
        byte[] json = decode(contentEncoding, body);
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is empty");
        }
        if (root.isArray()) {
            return new Upload(null, null, root);
        }
        if (root.isObject() && root.has("records") && root.get("records").isArray()) {
            return new Upload(textOrNull(root.get("deviceId")), textOrNull(root.get("batchId")), root.get("records"));
        }
        throw new ApiException(ErrorCode.MALFORMED_BODY,
                "body must be {\"deviceId\", \"batchId\", \"records\": [...]} or an array of records");
    }

    private byte[] decode(String contentEncoding, byte[] body) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.equalsIgnoreCase("identity")) {
            if (body.length > maxDecodedBytes) {
                throw tooLarge();
            }
            return body;
        }
        if (!contentEncoding.trim().equalsIgnoreCase("gzip")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding must be gzip or absent",
                    Map.of("contentEncoding", contentEncoding), null);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxDecodedBytes, body.length * 8));
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > maxDecodedBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid gzip");
        }
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "decoded body is larger than " + maxDecodedBytes + " bytes",
                Map.of("maxBytes", maxDecodedBytes), null);
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
