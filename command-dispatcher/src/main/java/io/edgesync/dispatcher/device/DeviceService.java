package io.edgesync.dispatcher.device;

import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.auth.TokenHash;
import io.edgesync.dispatcher.events.EventPublisher;
import io.edgesync.shared.auth.InvalidTokenException;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.auth.TokenClaims;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Registration, token rotation and revocation, heartbeats. Each token change commits to the
 * database first (only the token's hash is stored), then is published to {@code device.registry}.
 */
public final class DeviceService {
    private final DeviceStore store;
    private final Tokens.Issuer issuer;
    private final Tokens.Verifier verifier;
    private final EventPublisher events;
    private final Clock clock;
    private final Duration tokenTtl;
    private final Duration offlineAfter;

    public DeviceService(DeviceStore store, Tokens.Issuer issuer, Tokens.Verifier verifier, EventPublisher events,
                         Clock clock, Duration tokenTtl, Duration offlineAfter) {
        this.store = Objects.requireNonNull(store);
        this.issuer = Objects.requireNonNull(issuer);
        this.verifier = Objects.requireNonNull(verifier);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        this.tokenTtl = Objects.requireNonNull(tokenTtl);
        this.offlineAfter = Objects.requireNonNull(offlineAfter);
    }

    public IssuedToken register(NewDevice request) throws SQLException {
        return register(request, null);
    }

    /**
     * Registers a new device; for an existing device id, re-enrols it when {@code previousToken} is its
     * current token (expired or not): a new token exactly as rotation issues. A revoked device is
     * refused (403 TOKEN_REVOKED); an existing device without such a token is a 409 conflict.
     */
    public IssuedToken register(NewDevice request, String previousToken) throws SQLException {
        NewDevice d = request.deviceId() != null ? request
                : new NewDevice("dev-" + UUID.randomUUID(), request.name(), request.deviceType(), request.location(),
                        request.metadata());
        Tokens.Issued issued = issuer.issue(d.deviceId(), TokenKind.DEVICE, "device", 1, tokenTtl);
        Instant now = clock.instant();
        boolean inserted = store.transactions().inTransaction(c ->
                DeviceStore.insert(c, d, TokenHash.of(issued.token()), issued.claims().expiresAt(), now));
        if (!inserted) {
            TokenClaims claims = previousToken == null ? null : claimsOf(previousToken, d.deviceId());
            if (claims != null) {
                return reenrol(d.deviceId(), previousToken, claims.tokenVersion());
            }
            throw alreadyRegistered(d.deviceId());
        }
        events.registryAsync(new RegistryEntry(d.deviceId(), RegistryEntry.ACTIVE, 1, now.toEpochMilli()));
        return new IssuedToken(d.deviceId(), issued.token(), issued.claims().expiresAt().toString(), 1);
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
    private IssuedToken reenrol(String deviceId, String previousToken, long tokenVersion) throws SQLException {
        Tokens.Issued issued = store.transactions().inTransaction(c -> {
            DeviceStore.TokenState state = DeviceStore.lockTokenState(c, deviceId);
            if (state == null) {
                throw notFound(deviceId);
            }
            if (RegistryEntry.REVOKED.equals(state.status())) {
                throw new ApiException(ErrorCode.TOKEN_REVOKED,
                        "device " + deviceId + " is revoked; an operator must issue a new token");
            }
            if (state.tokenVersion() != tokenVersion || !TokenHash.matches(previousToken, state.tokenHash())) {
                throw alreadyRegistered(deviceId);
            }
            long next = state.tokenVersion() + 1;
            Tokens.Issued t = issuer.issue(deviceId, TokenKind.DEVICE, "device", next, tokenTtl);
            DeviceStore.setToken(c, deviceId, TokenHash.of(t.token()), t.claims().expiresAt(), next);
            return t;
        });
        long version = issued.claims().tokenVersion();
        events.registry(new RegistryEntry(deviceId, RegistryEntry.ACTIVE, version, clock.millis()));
        return new IssuedToken(deviceId, issued.token(), issued.claims().expiresAt().toString(), version);
    }

    private static ApiException alreadyRegistered(String deviceId) {
        return new ApiException(ErrorCode.CONFLICT, "device " + deviceId + " is already registered");
    }

    /** A new token; every older one of the device stops working. */
    public IssuedToken rotate(String deviceId) throws SQLException {
        Tokens.Issued issued = store.transactions().inTransaction(c -> {
            Long version = DeviceStore.lockTokenVersion(c, deviceId);
            if (version == null) {
                throw notFound(deviceId);
            }
            Tokens.Issued t = issuer.issue(deviceId, TokenKind.DEVICE, "device", version + 1, tokenTtl);
            DeviceStore.setToken(c, deviceId, TokenHash.of(t.token()), t.claims().expiresAt(), version + 1);
            return t;
        });
        long version = issued.claims().tokenVersion();
        events.registry(new RegistryEntry(deviceId, RegistryEntry.ACTIVE, version, clock.millis()));
        return new IssuedToken(deviceId, issued.token(), issued.claims().expiresAt().toString(), version);
    }

    /** Every token of the device stops working until it is given a new one by rotation. */
    public RegistryEntry revoke(String deviceId) throws SQLException {
        long version = store.transactions().inTransaction(c -> {
            Long v = DeviceStore.lockTokenVersion(c, deviceId);
            if (v == null) {
                throw notFound(deviceId);
            }
            DeviceStore.revokeToken(c, deviceId);
            return v;
        });
        RegistryEntry entry = new RegistryEntry(deviceId, RegistryEntry.REVOKED, version, clock.millis());
        events.registry(entry);
        return entry;
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

    /** An operator API token of the given role (operator or viewer). */
    public Tokens.Issued operatorToken(String name, String role, Duration ttl) {
        if (!Principal.ROLE_OPERATOR.equals(role) && !Principal.ROLE_VIEWER.equals(role)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "role must be operator or viewer");
        }
        return issuer.issue(name, TokenKind.OPERATOR, role, 0, ttl);
    }

    private Instant offlineBefore() {
        return clock.instant().minus(offlineAfter);
    }

    public static ApiException notFound(String deviceId) {
        return new ApiException(ErrorCode.NOT_FOUND, "no device " + deviceId);
    }
}
