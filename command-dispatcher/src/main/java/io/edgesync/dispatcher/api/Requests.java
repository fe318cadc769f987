package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.http.BoundedBody;
import io.edgesync.shared.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/** Reading and checking request bodies and parameters; every problem is a 400 naming the field. */
public final class Requests {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private Requests() {
    }

    /** The body as a JSON object (read by {@link BoundedBody}, within its limit); an empty body is an empty object. */
    public static JsonNode object(Context ctx) {
        String body = new String(BoundedBody.of(ctx), StandardCharsets.UTF_8);
        if (body.isBlank()) {
            return Json.mapper().createObjectNode();
        }
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || !node.isObject()) {
                throw new ApiException(ErrorCode.MALFORMED_BODY, "body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid JSON");
        }
    }

    public static String text(JsonNode body, String field, boolean required, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid(field, "is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw invalid(field, "must be a non-empty string");
        }
        if (v.asText().length() > maxLength) {
            throw invalid(field, "must be at most " + maxLength + " characters");
        }
        return v.asText();
    }

    public static Long number(JsonNode body, String field, long min, long max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw invalid(field, "must be an integer from " + min + " to " + max);
        }
        return v.asLong();
    }

    /** Any JSON value, or null when absent. */
    public static JsonNode value(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public static String id(String value, String field) {
        if (value == null || !ID.matcher(value).matches()) {
            throw invalid(field, "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return value;
    }

    public static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw invalid(name, "must be an integer from " + min + " to " + max);
    }

    public static ApiException invalid(String field, String problem) {
        return new ApiException(ErrorCode.INVALID_REQUEST, field + " " + problem, Map.of("field", field), null);
    }
}
