package io.edgesync.agent.sync;

import java.time.Duration;

/**
 * An upload that did not get a 2xx. {@link #retryable()} is true for network errors, 429, 503 and
 * other 5xx; false for every other 4xx, which are never retried.
 */
public class UploadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retryable;
    private final Duration retryAfter;

    public UploadException(String message, int status, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** HTTP status, or 0 for a network error. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
