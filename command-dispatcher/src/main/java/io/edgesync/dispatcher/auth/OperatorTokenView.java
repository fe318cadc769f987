package io.edgesync.dispatcher.auth;

/** An issued operator or viewer token as listed: never the token itself. status: active, expired or revoked. */
public record OperatorTokenView(String tokenId, String name, String role, String status, String issuedBy,
                                String createdAt, String expiresAt, String revokedAt, String revokedBy) {
}
