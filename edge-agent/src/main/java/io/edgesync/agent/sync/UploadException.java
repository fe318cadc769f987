package io.edgesync.agent.sync;

import java.time.Duration;

/**
 * An upload that did not get a 2xx. {@link #retryable()} is true for network errors, 429, 503 and
 * other 5xx; false for every other 4xx, which are never retried. {@link #unauthorized()} (401, and
 * 403: a revoked token or another device's credentials) stops syncing until the device has a valid
 * token again; the records stay pending.
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

    /** Classifies an HTTP status that is not 2xx. */
    public static boolean retryableStatus(int status) {
        return status == 429 || status >= 500;
    }

    /** HTTP status, or 0 for a network error. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The credentials were refused (401) or are not allowed (403): not the records' fault. */
    public boolean unauthorized() {
        return status == 401 || status == 403;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
