package io.edgesync.gateway.auth;

import io.edgesync.shared.kafka.KafkaClients;

import io.edgesync.gateway.GatewayConfig;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.config.ConfigException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** Builds the authenticator {@code gateway.auth-mode} names, with what it needs running. */
public final class Authenticators {
    private static final int TOKEN_CACHE_SIZE = 10_000;

    /**
     * An authenticator, whether it is ready (the registry has been read), and what to close with it
     * (the registry reader), possibly nothing.
     */
    public record Chosen(DeviceAuthenticator authenticator, BooleanSupplier ready, AutoCloseable resources) {
    }

    private Authenticators() {
    }

    public static Chosen from(GatewayConfig config, Clock clock) {
        return from(config, clock, DeviceRegistryCache::start);
    }

    /** As {@link #from(GatewayConfig, Clock)}, with the registry reader started by {@code registries} (bootstrap servers in). */
    static Chosen from(GatewayConfig config, Clock clock, Function<KafkaClients, DeviceRegistryCache> registries) {
        return switch (config.authMode()) {
            case NONE -> new Chosen(new TrustingAuthenticator(), () -> true, () -> { });
            case JWT -> jwt(config, clock, registries);
            case MTLS -> {
                if (!config.tls().enabled() || !config.tls().mutual()) {
                    throw new ConfigException("gateway.auth-mode=mtls needs " + GatewayConfig.KEYSTORE.key() + " and "
                            + GatewayConfig.TRUSTSTORE.key());
                }
                DeviceRegistryCache registry = registries.apply(config.kafka());
                yield new Chosen(new ClientCertificateAuthenticator(registry::entry), registry::loaded, registry);
            }
        };
    }

    private static Chosen jwt(GatewayConfig config, Clock clock, Function<KafkaClients, DeviceRegistryCache> registries) {
        if (config.jwtPublicKeyFile() == null || !Files.isRegularFile(config.jwtPublicKeyFile())) {
            throw new ConfigException("gateway.auth-mode=jwt needs " + GatewayConfig.JWT_PUBLIC_KEY_FILE.key()
                    + " (" + GatewayConfig.JWT_PUBLIC_KEY_FILE.envName() + ") naming a JWK file; got "
                    + config.jwtPublicKeyFile());
        }
        Tokens.Verifier verifier;
        try {
            verifier = new Tokens.Verifier(Tokens.readKey(config.jwtPublicKeyFile()), clock);
        } catch (RuntimeException e) {
            throw new ConfigException("invalid key " + GatewayConfig.JWT_PUBLIC_KEY_FILE.key() + ": " + e.getMessage());
        }
        DeviceRegistryCache registry = registries.apply(config.kafka());
        DeviceAuthenticator tokens = new JwtDeviceAuthenticator(verifier, registry::entry, clock, TOKEN_CACHE_SIZE);
        return new Chosen(config.tls().mutual() ? new CertificateBoundAuthenticator(tokens) : tokens,
                registry::loaded, registry);
    }
}
