package io.edgesync.gateway.auth;

import io.edgesync.shared.auth.InvalidTokenException;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.auth.TokenClaims;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Device tokens: ES256 JWTs signed by the dispatcher, verified with its public key alone. A
 * verified token is cached (its signature is checked once), but expiry and the device's registry
 * entry are checked on every request, so a revocation takes effect as soon as the registry has it.
 */
public final class JwtDeviceAuthenticator implements DeviceAuthenticator {
    private static final String BEARER = "bearer ";

    private final Tokens.Verifier verifier;
    private final Function<String, Optional<RegistryEntry>> registry;
    private final Clock clock;
    private final VerifiedTokenCache cache;

    /**
     * @param registry the latest registry entry of a device (from {@link DeviceRegistryCache#entry})
     */
    public JwtDeviceAuthenticator(Tokens.Verifier verifier, Function<String, Optional<RegistryEntry>> registry,
                                  Clock clock, int cacheSize) {
        this.verifier = Objects.requireNonNull(verifier);
        this.registry = Objects.requireNonNull(registry);
        this.clock = Objects.requireNonNull(clock);
        this.cache = new VerifiedTokenCache(cacheSize);
    }

    @Override
    public String authenticate(Credentials credentials) {
        String header = credentials.authorization();
        if (header == null || header.isBlank()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "Authorization: Bearer <device token> is required");
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "Authorization must use the Bearer scheme");
        }
        String token = header.substring(BEARER.length()).trim();
        TokenClaims claims = cache.get(token);
        if (claims == null) {
            claims = verify(token);
            cache.put(token, claims);
        } else if (!clock.instant().isBefore(claims.expiresAt())) {
            throw expired(claims);
        }
        Optional<RegistryEntry> entry = registry.apply(claims.subject());
        if (entry.isPresent() && !entry.get().permits(claims)) {
            throw new ApiException(ErrorCode.TOKEN_REVOKED, "this device token has been revoked or replaced",
                    Map.of("deviceId", claims.subject()), null);
        }
        return claims.subject();
    }

    private TokenClaims verify(String token) {
        try {
            return verifier.verify(token, TokenKind.DEVICE);
        } catch (InvalidTokenException e) {
            if (e.reason() == InvalidTokenException.Reason.EXPIRED) {
                throw new ApiException(ErrorCode.TOKEN_EXPIRED, "device token has expired");
            }
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "device token is not valid: " + e.getMessage());
        }
    }

    private static ApiException expired(TokenClaims claims) {
        return new ApiException(ErrorCode.TOKEN_EXPIRED, "device token expired at " + claims.expiresAt());
    }
}
