package io.edgesync.gateway.auth;

import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.tls.ClientCertificates;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Mutual TLS: the TLS layer has already checked the client certificate against the truststore;
 * its subject's CN names the device. A device the registry marks revoked is refused.
 */
public final class ClientCertificateAuthenticator implements DeviceAuthenticator {
    private final Function<String, Optional<RegistryEntry>> registry;

    public ClientCertificateAuthenticator(Function<String, Optional<RegistryEntry>> registry) {
        this.registry = Objects.requireNonNull(registry);
    }

    @Override
    public String authenticate(Credentials credentials) {
        X509Certificate[] chain = credentials.clientCertificates();
        if (chain == null || chain.length == 0) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "a client certificate is required");
        }
        String deviceId = ClientCertificates.commonName(chain[0]);
        if (deviceId == null || deviceId.isBlank()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "the client certificate has no CN naming the device");
        }
        Optional<RegistryEntry> entry = registry.apply(deviceId);
        if (entry.isPresent() && RegistryEntry.REVOKED.equals(entry.get().status())) {
            throw new ApiException(ErrorCode.TOKEN_REVOKED, "this device has been revoked",
                    Map.of("deviceId", deviceId), null);
        }
        return deviceId;
    }
}
