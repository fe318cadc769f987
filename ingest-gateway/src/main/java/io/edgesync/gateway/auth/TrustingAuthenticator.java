package io.edgesync.gateway.auth;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;

/**
 * Trusts the deviceId the body names. Only for {@code gateway.auth-mode=none} (demo and local
 * experiments); never the default.
 */
public final class TrustingAuthenticator implements DeviceAuthenticator {
    @Override
    public String authenticate(String authorization, String claimedDeviceId) {
        if (claimedDeviceId == null || claimedDeviceId.isBlank()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "deviceId is required when authentication is off");
        }
        return claimedDeviceId;
    }
}
