package io.edgesync.dispatcher.auth;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;

/** The authorisation rules of the dispatcher, in one place. Every refusal is 403 {@code forbidden}. */
public final class Access {
    private Access() {
    }

    /** Writes of the management API: operators with role operator. */
    public static void requireOperator(Principal p) {
        if (!p.isOperatorWithWrite()) {
            throw forbidden(p.isOperator() ? "role viewer is read-only" : "requires an operator token");
        }
    }

    /** Reads of the management API: operators of either role. */
    public static void requireReader(Principal p) {
        if (!p.isOperator()) {
            throw forbidden("requires an operator or viewer token");
        }
    }

    /** Whether the principal may read about the device: any operator, or that device itself. */
    public static boolean mayRead(Principal p, String deviceId) {
        return p.isOperator() || p.isDevice(deviceId);
    }

    /** Reads about one device: any operator, or that device itself. */
    public static void requireReaderOrDevice(Principal p, String deviceId) {
        if (!mayRead(p, deviceId)) {
            throw forbidden("a device may read only its own data");
        }
    }

    /** Device endpoints: only the device itself. */
    public static void requireDevice(Principal p, String deviceId) {
        if (!p.isDevice(deviceId)) {
            throw forbidden(p.kind() == Principal.Kind.DEVICE ? "a device may act only for itself"
                    : "requires the device's own token");
        }
    }

    /** Registration: an operator, the fleet enrollment key, or a one-time enrollment code. */
    public static void requireEnrollment(Principal p) {
        if (p.kind() != Principal.Kind.ENROLLMENT && p.kind() != Principal.Kind.ENROLLMENT_CODE
                && !p.isOperatorWithWrite()) {
            throw forbidden("requires the enrollment key, an enrollment code or an operator token");
        }
    }

    private static ApiException forbidden(String message) {
        return new ApiException(ErrorCode.FORBIDDEN, message);
    }
}
