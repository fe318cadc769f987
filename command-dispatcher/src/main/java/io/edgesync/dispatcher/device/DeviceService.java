package io.edgesync.dispatcher.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.audit.AuditEvent;
import io.edgesync.dispatcher.audit.AuditKind;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.auth.TokenHash;
import io.edgesync.dispatcher.enroll.EnrollmentCodes;
import io.edgesync.dispatcher.events.Outbox;
import io.edgesync.dispatcher.events.OutboxRelay;
import io.edgesync.shared.auth.InvalidTokenException;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.auth.TokenClaims;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Registration, token rotation and revocation, heartbeats. Each token change bumps the device's
 * token version and writes its {@code device.registry} entry to the outbox in the same locked
 * transaction (only the token's hash is stored); the outbox relay publishes it.
 */
public final class DeviceService {
    private final DeviceStore store;
    private final Tokens.Issuer issuer;
    private final Tokens.Verifier verifier;
    private final OutboxRelay relay;
    private final Duration publishWait;
    private final Clock clock;
    private final Duration tokenTtl;
    private final Duration offlineAfter;

    /**
     * @param relay       publishes the registry entries each change writes to the outbox
     * @param publishWait how long a request waits for its entry to be published before it answers
     *                    anyway (the change is committed and will be published)
     */
    public DeviceService(DeviceStore store, Tokens.Issuer issuer, Tokens.Verifier verifier, OutboxRelay relay,
                         Duration publishWait, Clock clock, Duration tokenTtl, Duration offlineAfter) {
        this.store = Objects.requireNonNull(store);
        this.issuer = Objects.requireNonNull(issuer);
        this.verifier = Objects.requireNonNull(verifier);
        this.relay = Objects.requireNonNull(relay);
        this.publishWait = Objects.requireNonNull(publishWait);
        this.clock = Objects.requireNonNull(clock);
        this.tokenTtl = Objects.requireNonNull(tokenTtl);
        this.offlineAfter = Objects.requireNonNull(offlineAfter);
    }

    /**
     * Registers a new device; for an existing device id, re-enrols it when {@code previousToken} is its
     * current token (expired or not): a new token exactly as rotation issues. A revoked device is
     * refused (403 TOKEN_REVOKED); an existing device without such a token is a 409 conflict. The audit
     * event {@code device.registered} is written in the transaction of the registration. With an
     * enrollment code ({@code by}) the code is used in that transaction (401 when it is no longer
     * open); the fleet key may not claim an id an open code reserves (403).
     */
    public IssuedToken register(NewDevice request, String previousToken, Principal by, Actor actor)
            throws SQLException {
        NewDevice d = request.deviceId() != null ? request
                : new NewDevice("dev-" + UUID.randomUUID(), request.name(), request.deviceType(), request.location(),
                        request.metadata());
        Tokens.Issued issued = issuer.issue(d.deviceId(), TokenKind.DEVICE, "device", 1, tokenTtl);
        Instant now = clock.instant();
        UUID announced = store.transactions().inTransaction(c -> {
            claim(c, by, d.deviceId(), actor, now);
            if (!DeviceStore.insert(c, d, TokenHash.of(issued.token()), issued.claims().expiresAt(), now)) {
                if (by.kind() == Principal.Kind.ENROLLMENT_CODE) {
                    throw alreadyRegistered(d.deviceId());
                }
                return null;
            }
            AuditLog.write(c, AuditEvent.success(AuditKind.DEVICE_REGISTERED, actor, d.deviceId(), d.deviceId(),
                    registration(d, 1, false), now));
            return announce(c, new RegistryEntry(d.deviceId(), RegistryEntry.ACTIVE, 1, now.toEpochMilli()));
        });
        if (announced == null) {
            TokenClaims claims = previousToken == null ? null : claimsOf(previousToken, d.deviceId());
            if (claims != null) {
                return reenrol(d, previousToken, claims.tokenVersion(), actor);
            }
            throw alreadyRegistered(d.deviceId());
        }
        relay.awaitPublished(announced, publishWait);
        return new IssuedToken(d.deviceId(), issued.token(), issued.claims().expiresAt().toString(), 1);
    }

    /** The enrollment code is used now; the fleet key may not take an id reserved by an open code. */
    private static void claim(Connection c, Principal by, String deviceId, Actor actor, Instant now)
            throws SQLException {
        if (by.kind() == Principal.Kind.ENROLLMENT_CODE) {
            if (!EnrollmentCodes.consume(c, by.credentialId(), deviceId, now, actor.remoteAddress())) {
                throw new ApiException(ErrorCode.UNAUTHENTICATED, "enrollment code " + by.credentialId()
                        + " was already used, revoked or expired");
            }
        } else if (by.kind() == Principal.Kind.ENROLLMENT && EnrollmentCodes.reserved(c, deviceId, now)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "device id " + deviceId + " is reserved for its "
                    + "enrollment code; register it with that code");
        }
    }

    private static JsonNode registration(NewDevice d, long tokenVersion, boolean reenrolment) {
        ObjectNode detail = Json.mapper().createObjectNode().put("deviceType", d.deviceType())
                .put("tokenVersion", tokenVersion);
        if (reenrolment) {
            detail.put("reenrolment", true);
        }
        return detail;
    }

    /** The claims of a device token we signed for this device, expired or not; null otherwise. */
    private TokenClaims claimsOf(String token, String deviceId) {
        try {
            TokenClaims claims = verifier.verifyIgnoringExpiry(token, TokenKind.DEVICE);
            return deviceId.equals(claims.subject()) ? claims : null;
        } catch (InvalidTokenException e) {
            return null;
        }
    }

    /** The previous token is signed by us for this device; it must also be the device's current one. */
    private IssuedToken reenrol(NewDevice d, String previousToken, long tokenVersion, Actor actor)
            throws SQLException {
        String deviceId = d.deviceId();
        TokenChange change = store.transactions().inTransaction(c -> {
            DeviceStore.TokenState state = DeviceStore.lockTokenState(c, deviceId);
            if (state == null) {
                throw notFound(deviceId);
            }
            refuseRevoked(deviceId, state);
            if (state.tokenVersion() != tokenVersion || !TokenHash.matches(previousToken, state.tokenHash())) {
                throw alreadyRegistered(deviceId);
            }
            TokenChange t = issue(c, deviceId, state.tokenVersion() + 1);
            AuditLog.write(c, AuditEvent.success(AuditKind.DEVICE_REGISTERED, actor, deviceId, deviceId,
                    registration(d, state.tokenVersion() + 1, true), clock.instant()));
            return t;
        });
        return published(change);
    }

    private static ApiException alreadyRegistered(String deviceId) {
        return new ApiException(ErrorCode.CONFLICT, "device " + deviceId + " is already registered");
    }

    /**
     * A new token; every older one of the device stops working. With {@code presentedToken} (the
     * device rotating its own token) the row is locked and the presented token must still be the
     * current one and not revoked, so a revocation committed meanwhile always wins (403
     * TOKEN_REVOKED). Without it (an operator) a revoked device becomes active again.
     */
    public IssuedToken rotate(String deviceId, String presentedToken, Actor actor) throws SQLException {
        TokenChange change = store.transactions().inTransaction(c -> {
            DeviceStore.TokenState state = DeviceStore.lockTokenState(c, deviceId);
            if (state == null) {
                throw notFound(deviceId);
            }
            if (presentedToken != null) {
                refuseRevoked(deviceId, state);
                if (!TokenHash.matches(presentedToken, state.tokenHash())) {
                    throw new ApiException(ErrorCode.TOKEN_REVOKED, "token revoked or replaced by a newer one");
                }
            }
            TokenChange t = issue(c, deviceId, state.tokenVersion() + 1);
            AuditLog.write(c, AuditEvent.success(AuditKind.DEVICE_TOKEN_ROTATED, actor, deviceId, deviceId,
                    Json.mapper().createObjectNode().put("tokenVersion", state.tokenVersion() + 1)
                            .put("wasRevoked", RegistryEntry.REVOKED.equals(state.status())), clock.instant()));
            return t;
        });
        return published(change);
    }

    /** Every token of the device stops working until an operator gives it a new one by rotation. */
    public RegistryEntry revoke(String deviceId, Actor actor) throws SQLException {
        Instant now = clock.instant();
        RegistryChange change = store.transactions().inTransaction(c -> {
            DeviceStore.TokenState state = DeviceStore.lockTokenState(c, deviceId);
            if (state == null) {
                throw notFound(deviceId);
            }
            long next = state.tokenVersion() + 1;
            DeviceStore.revokeToken(c, deviceId, next);
            RegistryEntry entry = new RegistryEntry(deviceId, RegistryEntry.REVOKED, next, now.toEpochMilli());
            AuditLog.write(c, AuditEvent.success(AuditKind.DEVICE_TOKEN_REVOKED, actor, deviceId, deviceId,
                    Json.mapper().createObjectNode().put("tokenVersion", next), now));
            return new RegistryChange(entry, announce(c, entry));
        });
        relay.awaitPublished(change.outboxId(), publishWait);
        return change.entry();
    }

    private record TokenChange(Tokens.Issued issued, UUID outboxId) {
    }

    private record RegistryChange(RegistryEntry entry, UUID outboxId) {
    }

    private static void refuseRevoked(String deviceId, DeviceStore.TokenState state) {
        if (RegistryEntry.REVOKED.equals(state.status())) {
            throw new ApiException(ErrorCode.TOKEN_REVOKED,
                    "device " + deviceId + " is revoked; an operator must issue a new token");
        }
    }

    /** In the locked transaction: the token of version {@code version}, stored and announced. */
    private TokenChange issue(Connection c, String deviceId, long version) throws SQLException {
        Tokens.Issued t = issuer.issue(deviceId, TokenKind.DEVICE, "device", version, tokenTtl);
        DeviceStore.setToken(c, deviceId, TokenHash.of(t.token()), t.claims().expiresAt(), version);
        UUID id = announce(c, new RegistryEntry(deviceId, RegistryEntry.ACTIVE, version, clock.millis()));
        return new TokenChange(t, id);
    }

    private IssuedToken published(TokenChange change) {
        relay.awaitPublished(change.outboxId(), publishWait);
        Tokens.Issued t = change.issued();
        return new IssuedToken(t.claims().subject(), t.token(), t.claims().expiresAt().toString(),
                t.claims().tokenVersion());
    }

    /** The registry entry, into the outbox of this transaction. */
    private static UUID announce(Connection c, RegistryEntry entry) throws SQLException {
        return Outbox.add(c, Topics.DEVICE_REGISTRY.name(), entry.deviceId(), Json.toString(entry),
                Instant.ofEpochMilli(entry.updatedAt()));
    }

    public DeviceView heartbeat(String deviceId, Heartbeat heartbeat) throws SQLException {
        if (!store.heartbeat(deviceId, heartbeat, clock.instant())) {
            throw notFound(deviceId);
        }
        return get(deviceId);
    }

    public DeviceView get(String deviceId) throws SQLException {
        DeviceView view = store.get(deviceId, offlineBefore());
        if (view == null) {
            throw notFound(deviceId);
        }
        return view;
    }

    public List<DeviceView> list(String status, String after, int limit) throws SQLException {
        return store.list(status, after, limit, offlineBefore());
    }

    public SyncStatusView syncStatus(String deviceId) throws SQLException {
        SyncStatusView view = store.syncStatus(deviceId, offlineBefore());
        if (view == null) {
            throw notFound(deviceId);
        }
        return view;
    }

    private Instant offlineBefore() {
        return clock.instant().minus(offlineAfter);
    }

    public static ApiException notFound(String deviceId) {
        return new ApiException(ErrorCode.NOT_FOUND, "no device " + deviceId);
    }
}
