package io.edgesync.dispatcher.enroll;

/**
 * An enrollment code as listed: never the code itself. {@code status}: open, used, expired or revoked.
 * {@code usedFrom} is the remote address of the registration that used it.
 */
public record EnrollmentCodeView(String codeId, String deviceId, String status, String createdBy, String createdAt,
                                 String expiresAt, String usedAt, String usedFrom, String revokedAt,
                                 String revokedBy) {
    public static final String OPEN = "open";
}
