package io.edgesync.gateway.auth;

import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

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
        String deviceId = commonName(chain[0]);
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

    static String commonName(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
