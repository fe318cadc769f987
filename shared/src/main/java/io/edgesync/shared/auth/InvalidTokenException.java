package io.edgesync.shared.auth;

/** A token that is malformed, wrongly signed, expired or of the wrong kind. */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why, for the error code: an expired token is reported as such, everything else as invalid. */
    public enum Reason { MALFORMED, BAD_SIGNATURE, EXPIRED, WRONG_KIND }

    private final Reason reason;

    public InvalidTokenException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
