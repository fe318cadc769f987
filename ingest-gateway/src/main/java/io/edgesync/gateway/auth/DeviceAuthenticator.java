package io.edgesync.gateway.auth;

import io.edgesync.shared.error.ApiException;

/** Decides which device a request speaks for, from its credentials. */
public interface DeviceAuthenticator {

    /**
     * @param authorization the Authorization header, possibly null
     * @param claimedDeviceId the deviceId the body names, possibly null
     * @return the authenticated device id
     * @throws ApiException 401 for missing, invalid or expired credentials; 403 for another device or revoked
     */
    String authenticate(String authorization, String claimedDeviceId);
}
