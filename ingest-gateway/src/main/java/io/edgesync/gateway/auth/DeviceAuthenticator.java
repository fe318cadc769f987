package io.edgesync.gateway.auth;

import io.edgesync.shared.error.ApiException;

/** Decides which device a request speaks for, from its credentials, before the body is read. */
public interface DeviceAuthenticator {

    /**
     * @return the authenticated device id, or null when this authenticator trusts the deviceId the
     *         body names ({@code gateway.auth-mode=none})
     * @throws ApiException 401 for missing, invalid or expired credentials; 403 for a revoked device
     */
    String authenticate(Credentials credentials);
}
