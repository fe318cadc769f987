package io.edgesync.shared.auth;

import io.edgesync.shared.files.SecretFiles;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

/**
 * EdgeSync tokens: JWTs signed ES256 by the command dispatcher's private key and verified with the
 * public key alone (the gateway holds nothing else). Keys are stored as JWK JSON files.
 * Claims: {@code iss=edgesync}, {@code sub}, {@code kind} (device|operator), {@code role},
 * {@code tv} (token version), {@code jti}, {@code iat}, {@code exp}.
 */
public final class Tokens {
    public static final String ISSUER = "edgesync";

    private Tokens() {
    }

    /** A new P-256 key pair; {@link ECKey#toPublicJWK()} is what verifiers get. */
    public static ECKey generateKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an ES256 key", e);
        }
    }

    public static ECKey readKey(Path jwkFile) {
        try {
            return ECKey.parse(Files.readString(jwkFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key " + jwkFile, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException(jwkFile + " is not an EC JWK: " + e.getMessage(), e);
        }
    }

    /** Writes the key as JWK JSON; a private key is owner-only from the first byte ({@link SecretFiles}). */
    public static void writeKey(ECKey key, Path jwkFile) {
        try {
            byte[] json = key.toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (key.isPrivate()) {
                SecretFiles.write(jwkFile, json);
            } else {
                if (jwkFile.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(jwkFile.toAbsolutePath().getParent());
                }
                Files.write(jwkFile, json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key " + jwkFile, e);
        }
    }

    /** Signs tokens; only the dispatcher has one. */
    public static final class Issuer {
        private final ECKey key;
        private final ECDSASigner signer;
        private final Clock clock;

        public Issuer(ECKey privateKey, Clock clock) {
            this.key = Objects.requireNonNull(privateKey);
            this.clock = Objects.requireNonNull(clock);
            try {
                this.signer = new ECDSASigner(privateKey);
            } catch (JOSEException e) {
                throw new IllegalArgumentException("not a private EC key", e);
            }
        }

        /** @return the compact JWT and its claims */
        public Issued issue(String subject, TokenKind kind, String role, long tokenVersion, Duration ttl) {
            Instant now = clock.instant();
            TokenClaims claims = new TokenClaims(subject, kind, role, UUID.randomUUID().toString(), tokenVersion,
                    now, now.plus(ttl));
            JWTClaimsSet set = new JWTClaimsSet.Builder()
                    .issuer(ISSUER)
                    .subject(subject)
                    .jwtID(claims.tokenId())
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(claims.expiresAt()))
                    .claim("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .claim("role", role)
                    .claim("tv", tokenVersion)
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), set);
            try {
                jwt.sign(signer);
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign token", e);
            }
            return new Issued(jwt.serialize(), claims);
        }
    }

    /** A signed token and what it says. */
    public record Issued(String token, TokenClaims claims) {
    }

    /** Verifies tokens with the public key; thread-safe. */
    public static final class Verifier {
        private final JWSVerifier verifier;
        private final Clock clock;

        public Verifier(ECKey publicKey, Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            try {
                this.verifier = new ECDSAVerifier(publicKey.toPublicJWK());
            } catch (JOSEException e) {
                throw new IllegalArgumentException("not an EC public key", e);
            }
        }

        public TokenClaims verify(String token, TokenKind expectedKind) throws InvalidTokenException {
            return verify(token, expectedKind, true);
        }

        /**
         * Like {@link #verify} but accepts an expired token (signature, issuer, kind still checked): for
         * a device proving it held a token that has since expired.
         */
        public TokenClaims verifyIgnoringExpiry(String token, TokenKind expectedKind) throws InvalidTokenException {
            return verify(token, expectedKind, false);
        }

        private TokenClaims verify(String token, TokenKind expectedKind, boolean checkExpiry)
                throws InvalidTokenException {
            SignedJWT jwt;
            JWTClaimsSet set;
            try {
                jwt = SignedJWT.parse(token);
                set = jwt.getJWTClaimsSet();
            } catch (ParseException e) {
                throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED, "token is not a JWT");
            }
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
                throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE, "token is not ES256");
            }
            try {
                if (!jwt.verify(verifier)) {
                    throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE, "bad token signature");
                }
            } catch (JOSEException e) {
                throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE, "bad token signature");
            }
            try {
                if (!ISSUER.equals(set.getIssuer()) || set.getSubject() == null || set.getExpirationTime() == null
                        || set.getIssueTime() == null) {
                    throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED, "token lacks required claims");
                }
                Instant expires = set.getExpirationTime().toInstant();
                if (checkExpiry && !clock.instant().isBefore(expires)) {
                    throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED, "token expired at " + expires);
                }
                String kindClaim = set.getStringClaim("kind");
                TokenKind kind = kindClaim == null ? null
                        : TokenKind.valueOf(kindClaim.toUpperCase(java.util.Locale.ROOT));
                if (kind != expectedKind) {
                    throw new InvalidTokenException(InvalidTokenException.Reason.WRONG_KIND,
                            "not a " + expectedKind.name().toLowerCase(java.util.Locale.ROOT) + " token");
                }
                Long tv = set.getLongClaim("tv");
                return new TokenClaims(set.getSubject(), kind, set.getStringClaim("role"), set.getJWTID(),
                        tv == null ? 0 : tv, set.getIssueTime().toInstant(), expires);
            } catch (ParseException | IllegalArgumentException e) {
                throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED, "token claims are malformed");
            }
        }
    }
}
