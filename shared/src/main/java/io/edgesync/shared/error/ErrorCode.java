package io.edgesync.shared.error;

/**
 * Every error code any EdgeSync endpoint answers with, its HTTP status and whether a client may
 * retry. Documented in docs/api.md.
 */
public enum ErrorCode {
    MALFORMED_BODY(400, false),
    INVALID_REQUEST(400, false),
    UNAUTHENTICATED(401, false),
    TOKEN_EXPIRED(401, false),
    FORBIDDEN(403, false),
    TOKEN_REVOKED(403, false),
    NOT_FOUND(404, false),
    METHOD_NOT_ALLOWED(405, false),
    CONFLICT(409, false),
    PAYLOAD_TOO_LARGE(413, false),
    UNSUPPORTED_MEDIA_TYPE(415, false),
    RATE_LIMITED(429, true),
    INTERNAL(500, true),
    UNAVAILABLE(503, true);

    private final int status;
    private final boolean retryable;

    ErrorCode(int status, boolean retryable) {
        this.status = status;
        this.retryable = retryable;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The wire form: lower snake case, e.g. {@code payload_too_large}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
