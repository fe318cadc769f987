package io.edgesync.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.jwk.ECKey;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JwtDeviceAuthenticatorTest {
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ECKey key = Tokens.generateKey();
    private final MovingClock clock = new MovingClock();
    private final Map<String, RegistryEntry> registry = new HashMap<>();
    private final JwtDeviceAuthenticator authenticator = new JwtDeviceAuthenticator(
            new Tokens.Verifier(key.toPublicJWK(), clock), d -> Optional.ofNullable(registry.get(d)), clock, 100);

    private String token(String device, long version, Duration ttl) {
        return new Tokens.Issuer(key, clock).issue(device, TokenKind.DEVICE, "device", version, ttl).token();
    }

    private ErrorCode refusal(String header) {
        return assertThrows(ApiException.class, () -> authenticator.authenticate(new Credentials(header, null))).code();
    }

    @Test
    void validTokenNamesItsDevice() {
        assertEquals("d1", authenticator.authenticate(new Credentials("Bearer " + token("d1", 1, Duration.ofHours(1)),
                null)));
        assertEquals("d1", authenticator.authenticate(new Credentials("bearer " + token("d1", 1, Duration.ofHours(1)),
                null)));
    }

    @Test
    void missingOrMalformedCredentialsAreUnauthenticated() {
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal(null));
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal("Basic dXNlcjpwdw=="));
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal("Bearer x.y.z"));
    }

    @Test
    void cachedTokenStillExpires() {
        String header = "Bearer " + token("d1", 1, Duration.ofMinutes(5));
        assertEquals("d1", authenticator.authenticate(new Credentials(header, null)));
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertEquals(ErrorCode.TOKEN_EXPIRED, refusal(header));
    }

    @Test
    void registryRevocationAndRotationRefuseOlderTokens() {
        String v1 = "Bearer " + token("d1", 1, Duration.ofHours(1));
        assertEquals("d1", authenticator.authenticate(new Credentials(v1, null)));
        registry.put("d1", new RegistryEntry("d1", RegistryEntry.ACTIVE, 2, 0));
        assertEquals(ErrorCode.TOKEN_REVOKED, refusal(v1));
        String v2 = "Bearer " + token("d1", 2, Duration.ofHours(1));
        assertEquals("d1", authenticator.authenticate(new Credentials(v2, null)));
        registry.put("d1", new RegistryEntry("d1", RegistryEntry.REVOKED, 2, 0));
        assertEquals(ErrorCode.TOKEN_REVOKED, refusal(v2));
    }
}
