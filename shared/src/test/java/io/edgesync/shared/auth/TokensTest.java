package io.edgesync.shared.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokensTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private final ECKey key = Tokens.generateKey();

    @Test
    void issuedDeviceTokenVerifiesWithThePublicKeyAlone() throws Exception {
        Tokens.Issued issued = new Tokens.Issuer(key, clock).issue("dev-1", TokenKind.DEVICE, null, 3, Duration.ofDays(1));
        TokenClaims claims = new Tokens.Verifier(key.toPublicJWK(), clock).verify(issued.token(), TokenKind.DEVICE);
        assertEquals("dev-1", claims.subject());
        assertEquals(3, claims.tokenVersion());
        assertEquals(issued.claims().tokenId(), claims.tokenId());
    }

    @Test
    void expiredTokenIsRefusedAsExpired() {
        Tokens.Issued issued = new Tokens.Issuer(key, clock).issue("dev-1", TokenKind.DEVICE, null, 1, Duration.ofMinutes(1));
        Clock later = Clock.offset(clock, Duration.ofMinutes(2));
        InvalidTokenException e = assertThrows(InvalidTokenException.class,
                () -> new Tokens.Verifier(key.toPublicJWK(), later).verify(issued.token(), TokenKind.DEVICE));
        assertEquals(InvalidTokenException.Reason.EXPIRED, e.reason());
    }

    @Test
    void verifyIgnoringExpiryAcceptsAnExpiredTokenButStillChecksSignatureAndKind() throws Exception {
        Tokens.Issued issued = new Tokens.Issuer(key, clock).issue("dev-1", TokenKind.DEVICE, null, 4, Duration.ofMinutes(1));
        Tokens.Verifier later = new Tokens.Verifier(key.toPublicJWK(), Clock.offset(clock, Duration.ofDays(2)));
        TokenClaims claims = later.verifyIgnoringExpiry(issued.token(), TokenKind.DEVICE);
        assertEquals("dev-1", claims.subject());
        assertEquals(4, claims.tokenVersion());
        assertEquals(InvalidTokenException.Reason.WRONG_KIND, assertThrows(InvalidTokenException.class,
                () -> later.verifyIgnoringExpiry(issued.token(), TokenKind.OPERATOR)).reason());
        Tokens.Issued foreign = new Tokens.Issuer(Tokens.generateKey(), clock)
                .issue("dev-1", TokenKind.DEVICE, null, 4, Duration.ofMinutes(1));
        assertEquals(InvalidTokenException.Reason.BAD_SIGNATURE, assertThrows(InvalidTokenException.class,
                () -> later.verifyIgnoringExpiry(foreign.token(), TokenKind.DEVICE)).reason());
    }

    @Test
    void tokenSignedByAnotherKeyIsRefused() {
        Tokens.Issued issued = new Tokens.Issuer(Tokens.generateKey(), clock)
                .issue("dev-1", TokenKind.DEVICE, null, 1, Duration.ofDays(1));
        InvalidTokenException e = assertThrows(InvalidTokenException.class,
                () -> new Tokens.Verifier(key.toPublicJWK(), clock).verify(issued.token(), TokenKind.DEVICE));
        assertEquals(InvalidTokenException.Reason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void operatorTokenIsNotADeviceToken() {
        Tokens.Issued issued = new Tokens.Issuer(key, clock).issue("ops", TokenKind.OPERATOR, "operator", 0, Duration.ofDays(1));
        InvalidTokenException e = assertThrows(InvalidTokenException.class,
                () -> new Tokens.Verifier(key.toPublicJWK(), clock).verify(issued.token(), TokenKind.DEVICE));
        assertEquals(InvalidTokenException.Reason.WRONG_KIND, e.reason());
    }

    @Test
    void garbageIsMalformed() {
        InvalidTokenException e = assertThrows(InvalidTokenException.class,
                () -> new Tokens.Verifier(key.toPublicJWK(), clock).verify("not.a.jwt", TokenKind.DEVICE));
        assertEquals(InvalidTokenException.Reason.MALFORMED, e.reason());
    }

    @Test
    void registryRefusesRotatedAndRevokedTokens() {
        TokenClaims v2 = new TokenClaims("d", TokenKind.DEVICE, null, "j", 2, Instant.EPOCH, Instant.MAX);
        assertTrue(new RegistryEntry("d", RegistryEntry.ACTIVE, 2, 0).permits(v2));
        assertTrue(new RegistryEntry("d", RegistryEntry.ACTIVE, 1, 0).permits(v2), "newer than the entry");
        assertFalse(new RegistryEntry("d", RegistryEntry.ACTIVE, 3, 0).permits(v2), "rotated away");
        assertFalse(new RegistryEntry("d", RegistryEntry.REVOKED, 2, 0).permits(v2), "revoked");
        assertTrue(new RegistryEntry("d", RegistryEntry.REVOKED, 1, 0).permits(v2), "re-issued after revocation");
    }
}
