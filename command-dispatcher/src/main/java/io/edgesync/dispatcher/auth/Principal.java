package io.edgesync.dispatcher.auth;

import java.util.Objects;

/** Who made a request: a device, an operator (role operator or viewer), or a holder of the enrollment key. */
public record Principal(Kind kind, String subject, String role) {
    public static final String ROLE_OPERATOR = "operator";
    public static final String ROLE_VIEWER = "viewer";

    public enum Kind { DEVICE, OPERATOR, ENROLLMENT }

    public Principal {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(subject);
    }

    public boolean isOperatorWithWrite() {
        return kind == Kind.OPERATOR && ROLE_OPERATOR.equals(role);
    }

    public boolean isOperator() {
        return kind == Kind.OPERATOR;
    }

    public boolean isDevice(String deviceId) {
        return kind == Kind.DEVICE && subject.equals(deviceId);
    }
}
