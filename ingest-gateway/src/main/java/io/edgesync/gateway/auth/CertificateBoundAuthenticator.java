package io.edgesync.gateway.auth;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.tls.ClientCertificates;
import java.util.Map;
import java.util.Objects;

/**
 * Token authentication over mutual TLS: the token decides the device, and the client certificate's
 * CN must name that same device, so a token for X presented over a certificate for Y is refused.
 */
public final class CertificateBoundAuthenticator implements DeviceAuthenticator {
    private final DeviceAuthenticator tokens;

    public CertificateBoundAuthenticator(DeviceAuthenticator tokens) {
        this.tokens = Objects.requireNonNull(tokens);
    }

    @Override
    public String authenticate(Credentials credentials) {
        String deviceId = tokens.authenticate(credentials);
        String named = credentials.clientCertificates() == null ? null
                : ClientCertificates.commonName(credentials.clientCertificates()[0]);
        if (deviceId != null && !deviceId.equals(named)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "the token is for device " + deviceId
                    + " but the client certificate names " + (named == null ? "no device" : named),
                    Map.of("deviceId", deviceId), null);
        }
        return deviceId;
    }
}
