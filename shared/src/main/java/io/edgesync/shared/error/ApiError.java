package io.edgesync.shared.error;

import java.util.Map;

/**
 * The one error body of every endpoint:
 * {@code {"error": {"code", "message", "details", "retryable"}}}.
 */
public record ApiError(Body error) {

    public record Body(String code, String message, Map<String, Object> details, boolean retryable) {
    }

    public static ApiError of(ErrorCode code, String message, Map<String, Object> details) {
        return new ApiError(new Body(code.wire(), message, details == null ? Map.of() : details, code.retryable()));
    }
}
