package io.edgesync.shared.error;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** Thrown by handlers to answer with an {@link ApiError}; never logged with a stack trace. */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Map<String, Object> details;
    private final Duration retryAfter;

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public ApiException(ErrorCode code, String message, Map<String, Object> details, Duration retryAfter) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code);
        this.details = details == null ? Map.of() : details;
        this.retryAfter = retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** Seconds a client should wait before retrying, for 429 and 503; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public ApiError toError() {
        return ApiError.of(code, getMessage(), details);
    }
}
