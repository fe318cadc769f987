package io.edgesync.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import org.junit.jupiter.api.Test;

class AccessTest {
    static final Principal OPERATOR = new Principal(Principal.Kind.OPERATOR, "op", Principal.ROLE_OPERATOR);
    static final Principal VIEWER = new Principal(Principal.Kind.OPERATOR, "v", Principal.ROLE_VIEWER);
    static final Principal DEVICE_A = new Principal(Principal.Kind.DEVICE, "a", null);
    static final Principal ENROLL = new Principal(Principal.Kind.ENROLLMENT, "enrollment", null);

    @Test
    void viewersReadButDoNotWrite() {
        assertDoesNotThrow(() -> Access.requireReader(VIEWER));
        assertForbidden(() -> Access.requireOperator(VIEWER));
        assertForbidden(() -> Access.requireEnrollment(VIEWER));
        assertDoesNotThrow(() -> Access.requireOperator(OPERATOR));
    }

    @Test
    void aDeviceActsOnlyForItself() {
        assertDoesNotThrow(() -> Access.requireDevice(DEVICE_A, "a"));
        assertForbidden(() -> Access.requireDevice(DEVICE_A, "b"));
        assertForbidden(() -> Access.requireReaderOrDevice(DEVICE_A, "b"));
        assertForbidden(() -> Access.requireDevice(OPERATOR, "a"));
        assertForbidden(() -> Access.requireReader(DEVICE_A));
    }

    @Test
    void theEnrollmentKeyOnlyRegisters() {
        assertDoesNotThrow(() -> Access.requireEnrollment(ENROLL));
        assertForbidden(() -> Access.requireReader(ENROLL));
        assertForbidden(() -> Access.requireDevice(ENROLL, "enrollment"));
    }

    private static void assertForbidden(org.junit.jupiter.api.function.Executable check) {
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ApiException.class, check).code());
    }
}
