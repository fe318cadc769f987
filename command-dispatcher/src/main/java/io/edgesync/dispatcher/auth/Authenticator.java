package io.edgesync.dispatcher.auth;

import io.edgesync.dispatcher.device.DeviceStore;
import io.edgesync.dispatcher.enroll.EnrollmentCodes;
import io.edgesync.shared.auth.InvalidTokenException;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.auth.TokenClaims;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.tls.ClientCertificates;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Reads {@code Authorization: Bearer ...}: the enrollment key, a one-time enrollment code
 * ({@code enr_...}), the configured operator token, an operator JWT, or a device JWT. A device token must also be the device's current one in the
 * database (its hash matches and it is not revoked), so rotation and revocation act at once here.
 * An operator JWT must carry a known role (operator or viewer) and be recorded, not revoked, in
 * {@code operator_tokens}; a token without a known role is refused, never treated as operator.
 * Over mutual TLS a device's client certificate CN must name the device its token is for.
 */
public final class Authenticator {
    private final Tokens.Verifier verifier;
    private final DeviceStore devices;
    private final OperatorTokenStore operatorTokens;
    private final EnrollmentCodes enrollmentCodes;
    private final String enrollmentKeyHash;
    private final String operatorTokenHash;
    private final boolean mutualTls;

    public Authenticator(Tokens.Verifier verifier, DeviceStore devices, OperatorTokenStore operatorTokens,
                         EnrollmentCodes enrollmentCodes, String enrollmentKey, String operatorToken,
                         boolean mutualTls) {
        this.mutualTls = mutualTls;
        this.verifier = Objects.requireNonNull(verifier);
        this.devices = Objects.requireNonNull(devices);
        this.operatorTokens = Objects.requireNonNull(operatorTokens);
        this.enrollmentCodes = Objects.requireNonNull(enrollmentCodes);
        this.enrollmentKeyHash = blankToNull(enrollmentKey);
        this.operatorTokenHash = blankToNull(operatorToken);
    }

    private static final String PRINCIPAL = "edgesync.principal";

    /** Authenticates the request and remembers who made it ({@link #principalOf}). */
    public Principal authenticate(Context ctx) {
        Principal p = authenticate(bearer(ctx));
        ctx.attribute(PRINCIPAL, p);
        if (p.kind() == Principal.Kind.DEVICE) {
            requireCertificateFor(ctx, p.subject());
        }
        return p;
    }

    /** Who made the request, once {@link #authenticate(Context)} accepted its credential; null before. */
    public static Principal principalOf(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    /**
     * Over mutual TLS, refuses (403) a request for {@code deviceId} whose client certificate CN names
     * another device; without mutual TLS it does nothing.
     */
    public void requireCertificateFor(Context ctx, String deviceId) {
        if (!mutualTls) {
            return;
        }
        String named = ClientCertificates.commonName(ctx);
        if (!deviceId.equals(named)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "the request is for device " + deviceId
                    + " but the client certificate names " + (named == null ? "no device" : named),
                    java.util.Map.of("deviceId", deviceId), null);
        }
    }

    /** The device the client certificate names over mutual TLS; null without mutual TLS. */
    public String certificateDevice(Context ctx) {
        return mutualTls ? ClientCertificates.commonName(ctx) : null;
    }

    /** The secret of {@code Authorization: Bearer ...}; 401 without one. */
    public static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "missing Authorization: Bearer token");
        }
        return header.substring(7).trim();
    }

    Principal authenticate(String secret) {
        if (TokenHash.matches(secret, enrollmentKeyHash)) {
            return new Principal(Principal.Kind.ENROLLMENT, "enrollment", null);
        }
        if (secret.startsWith(EnrollmentCodes.PREFIX)) {
            try {
                return enrollmentCodes.authenticate(secret);
            } catch (SQLException e) {
                throw unavailable();
            }
        }
        if (TokenHash.matches(secret, operatorTokenHash)) {
            return new Principal(Principal.Kind.OPERATOR, "bootstrap", Principal.ROLE_OPERATOR, "bootstrap");
        }
        try {
            return device(verifier.verify(secret, TokenKind.DEVICE), secret);
        } catch (InvalidTokenException e) {
            if (e.reason() != InvalidTokenException.Reason.WRONG_KIND) {
                throw refused(e);
            }
        }
        TokenClaims claims;
        try {
            claims = verifier.verify(secret, TokenKind.OPERATOR);
        } catch (InvalidTokenException e) {
            throw refused(e);
        }
        return operator(claims);
    }

    private Principal operator(TokenClaims claims) {
        if (!Principal.knownRole(claims.role())) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "token carries no known role (operator or viewer)");
        }
        if (claims.tokenId() == null) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "token has no id (jti)");
        }
        OperatorTokenStore.State state;
        try {
            state = operatorTokens.state(claims.tokenId());
        } catch (SQLException e) {
            throw unavailable();
        }
        if (state == null || !state.role().equals(claims.role())) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "unknown operator token " + claims.tokenId());
        }
        if (state.revoked()) {
            throw new ApiException(ErrorCode.TOKEN_REVOKED, "operator token " + claims.tokenId() + " is revoked");
        }
        return new Principal(Principal.Kind.OPERATOR, claims.subject(), state.role(), claims.tokenId());
    }

    private static ApiException unavailable() {
        return new ApiException(ErrorCode.UNAVAILABLE, "database unavailable", java.util.Map.of(),
                java.time.Duration.ofSeconds(1));
    }

    private Principal device(TokenClaims claims, String token) {
        DeviceStore.TokenState state;
        try {
            state = devices.tokenState(claims.subject());
        } catch (SQLException e) {
            throw unavailable();
        }
        if (state == null) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "unknown device " + claims.subject());
        }
        if (RegistryEntry.REVOKED.equals(state.status()) || !TokenHash.matches(token, state.tokenHash())) {
            throw new ApiException(ErrorCode.TOKEN_REVOKED, "token revoked or replaced by a newer one");
        }
        return new Principal(Principal.Kind.DEVICE, claims.subject(), null);
    }

    private static ApiException refused(InvalidTokenException e) {
        return e.reason() == InvalidTokenException.Reason.EXPIRED
                ? new ApiException(ErrorCode.TOKEN_EXPIRED, "token expired")
                : new ApiException(ErrorCode.UNAUTHENTICATED, "invalid token: " + e.getMessage());
    }

    private static String blankToNull(String secret) {
        return secret == null || secret.isBlank() ? null : TokenHash.of(secret);
    }
}
