package io.edgesync.dispatcher.auth;

import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.audit.AuditEvent;
import io.edgesync.dispatcher.audit.AuditKind;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Operator and viewer API tokens: issued with a bounded lifetime (at most {@code maxTtl}), recorded by
 * id in {@code operator_tokens}, listed and revoked by id. A revoked token is refused at once.
 */
public final class OperatorTokens {
    private final OperatorTokenStore store;
    private final Tokens.Issuer issuer;
    private final Clock clock;
    private final Duration maxTtl;

    public OperatorTokens(OperatorTokenStore store, Tokens.Issuer issuer, Clock clock, Duration maxTtl) {
        this.store = Objects.requireNonNull(store);
        this.issuer = Objects.requireNonNull(issuer);
        this.clock = Objects.requireNonNull(clock);
        this.maxTtl = Objects.requireNonNull(maxTtl);
    }

    public Duration maxTtl() {
        return maxTtl;
    }

    /** @param ttl null for the longest lifetime allowed; more than that is 400 */
    public Tokens.Issued issue(Actor by, String name, String role, Duration ttl) throws SQLException {
        if (!Principal.knownRole(role)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "role must be operator or viewer",
                    java.util.Map.of("field", "role"), null);
        }
        if (ttl != null && ttl.compareTo(maxTtl) > 0) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "ttlSeconds must be at most " + maxTtl.toSeconds()
                    + " (dispatcher.operator-token-ttl)", java.util.Map.of("field", "ttlSeconds"), null);
        }
        Tokens.Issued issued = issuer.issue(name, TokenKind.OPERATOR, role, 0, ttl == null ? maxTtl : ttl);
        store.transactions().inTransaction(c -> {
            OperatorTokenStore.insert(c, issued.claims().tokenId(), name, role, by.id(),
                    issued.claims().issuedAt(), issued.claims().expiresAt());
            AuditLog.write(c, AuditEvent.success(AuditKind.OPERATOR_TOKEN_ISSUED, by, issued.claims().tokenId(), null,
                    Json.mapper().createObjectNode().put("name", name).put("role", role)
                            .put("expiresAt", issued.claims().expiresAt().toString()), clock.instant()));
            return null;
        });
        return issued;
    }

    public List<OperatorTokenView> list(String after, int limit) throws SQLException {
        return store.list(after, limit, clock.instant());
    }

    /** Revokes the token (again is a no-op answering the same row); 404 for an unknown id. */
    public OperatorTokenView revoke(Actor by, String tokenId) throws SQLException {
        Instant now = clock.instant();
        return store.transactions().inTransaction(c -> {
            boolean revoked = OperatorTokenStore.revoke(c, tokenId, by.id(), now);
            OperatorTokenView view = OperatorTokenStore.get(c, tokenId, now);
            if (view == null) {
                throw new ApiException(ErrorCode.NOT_FOUND, "no operator token " + tokenId);
            }
            if (revoked) {
                AuditLog.write(c, AuditEvent.success(AuditKind.OPERATOR_TOKEN_REVOKED, by, tokenId, null,
                        Json.mapper().createObjectNode().put("name", view.name()).put("role", view.role()), now));
            }
            return view;
        });
    }
}
