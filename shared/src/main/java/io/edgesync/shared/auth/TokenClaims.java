package io.edgesync.shared.auth;

import java.time.Instant;

/**
 * What a verified EdgeSync token says. {@code subject} is the device id for device tokens and the
 * operator's name for operator tokens. {@code tokenVersion} grows with every token issued to a
 * device, so rotation and revocation can be decided from the compacted {@code device.registry}
 * topic without a database.
 */
public record TokenClaims(String subject, TokenKind kind, String role, String tokenId, long tokenVersion,
                          Instant issuedAt, Instant expiresAt) {
}
