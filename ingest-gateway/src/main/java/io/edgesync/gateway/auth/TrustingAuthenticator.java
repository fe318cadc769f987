package io.edgesync.gateway.auth;

/**
 * Trusts the deviceId the body names. Only for {@code gateway.auth-mode=none} (demo and local
 * experiments); never the default.
 */
public final class TrustingAuthenticator implements DeviceAuthenticator {
    @Override
    public String authenticate(Credentials credentials) {
        return null;
    }
}
