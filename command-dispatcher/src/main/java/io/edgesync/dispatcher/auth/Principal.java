package io.edgesync.dispatcher.auth;

import java.util.Objects;

/**
 * Who made a request: a device, an operator (role operator or viewer), or a holder of the enrollment
 * key or of a one-time enrollment code. {@code credentialId} names the credential used where it has
 * one (an operator token's id, "bootstrap" for the configured operator token); null otherwise.
 */
public record Principal(Kind kind, String subject, String role, String credentialId) {
    public static final String ROLE_OPERATOR = "operator";
    public static final String ROLE_VIEWER = "viewer";

    public enum Kind { DEVICE, OPERATOR, ENROLLMENT, ENROLLMENT_CODE }

    public Principal {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(subject);
    }

    public Principal(Kind kind, String subject, String role) {
        this(kind, subject, role, null);
    }

    /** The roles a token may carry; anything else is refused, never treated as operator. */
    public static boolean knownRole(String role) {
        return ROLE_OPERATOR.equals(role) || ROLE_VIEWER.equals(role);
    }

    public boolean isOperatorWithWrite() {
        return kind == Kind.OPERATOR && ROLE_OPERATOR.equals(role);
    }

    public boolean isOperator() {
        return kind == Kind.OPERATOR && knownRole(role);
    }

    public boolean isDevice(String deviceId) {
        return kind == Kind.DEVICE && subject.equals(deviceId);
    }
}
