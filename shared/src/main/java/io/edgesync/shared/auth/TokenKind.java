package io.edgesync.shared.auth;

/** Who a token is for: a device (telemetry, commands, config) or an operator (the management API). */
public enum TokenKind {
    DEVICE, OPERATOR
}
