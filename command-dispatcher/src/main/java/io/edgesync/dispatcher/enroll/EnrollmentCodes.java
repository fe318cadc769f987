package io.edgesync.dispatcher.enroll;

import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.audit.AuditEvent;
import io.edgesync.dispatcher.audit.AuditKind;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.auth.TokenHash;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One-time enrollment codes ({@code enrollment_codes}): an operator pre-registers a device id; its code
 * registers that id once, before it expires. Only the code's SHA-256 is stored. While a code is open
 * its device id is reserved: the fleet key cannot claim it ({@link #reserved}). The code is consumed in
 * the transaction that registers the device ({@link #consume}), so two uses never both succeed.
 */
public final class EnrollmentCodes {
    /** Every code starts with this, so it is told apart from keys and JWTs without a lookup. */
    public static final String PREFIX = "enr_";
    static final Sql SQL = Sql.load("enrollment-codes.sql");

    /** A new code, shown once. */
    public record Created(String code, EnrollmentCodeView view) {
    }

    private final Transactions tx;
    private final Clock clock;
    private final Duration maxTtl;
    private final SecureRandom random;

    public EnrollmentCodes(Transactions tx, Clock clock, Duration maxTtl, SecureRandom random) {
        this.tx = Objects.requireNonNull(tx);
        this.clock = Objects.requireNonNull(clock);
        this.maxTtl = Objects.requireNonNull(maxTtl);
        this.random = Objects.requireNonNull(random);
    }

    /** @param ttl null for the longest lifetime allowed; more is 400. A registered device id is 409. */
    public Created create(Actor by, String deviceId, Duration ttl) throws SQLException {
        if (ttl != null && ttl.compareTo(maxTtl) > 0) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "ttlSeconds must be at most " + maxTtl.toSeconds()
                    + " (dispatcher.enrollment-code-ttl)", Map.of("field", "ttlSeconds"), null);
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String code = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        Instant expires = now.plus(ttl == null ? maxTtl : ttl);
        EnrollmentCodeView view = tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("device-exists"))) {
                ps.setString(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new ApiException(ErrorCode.CONFLICT, "device " + deviceId
                                + " is already registered; rotate its token instead");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SQL.get("insert"))) {
                ps.setObject(1, id);
                ps.setString(2, deviceId);
                ps.setString(3, TokenHash.of(code));
                ps.setString(4, by.id());
                Columns.setInstant(ps, 5, now);
                Columns.setInstant(ps, 6, expires);
                ps.executeUpdate();
            }
            AuditLog.write(c, AuditEvent.success(AuditKind.ENROLLMENT_CODE_CREATED, by, deviceId, deviceId,
                    Json.mapper().createObjectNode().put("codeId", id.toString()).put("expiresAt", expires.toString()),
                    now));
            return get(c, id, now);
        });
        return new Created(code, view);
    }

    /**
     * The principal of a registration presenting {@code code}: 401 unauthenticated for an unknown or
     * used code, 401 token_expired for an expired one, 403 token_revoked for a revoked one.
     */
    public Principal authenticate(String code) throws SQLException {
        Instant now = clock.instant();
        EnrollmentCodeView v = tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("by-hash"))) {
                ps.setString(1, TokenHash.of(code));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? view(rs, now) : null;
                }
            }
        });
        if (v == null) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "unknown enrollment code");
        }
        return switch (v.status()) {
            case "used" -> throw new ApiException(ErrorCode.UNAUTHENTICATED, "enrollment code " + v.codeId()
                    + " was already used");
            case "revoked" -> throw new ApiException(ErrorCode.TOKEN_REVOKED, "enrollment code " + v.codeId()
                    + " is revoked");
            case "expired" -> throw new ApiException(ErrorCode.TOKEN_EXPIRED, "enrollment code " + v.codeId()
                    + " expired");
            default -> new Principal(Principal.Kind.ENROLLMENT_CODE, v.deviceId(), null, v.codeId());
        };
    }

    /** In the registration's transaction: uses the open code of this device id; false when it is no longer open. */
    public static boolean consume(Connection c, String codeId, String deviceId, Instant now, String from)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("consume"))) {
            Columns.setInstant(ps, 1, now);
            ps.setString(2, from);
            ps.setObject(3, UUID.fromString(codeId));
            ps.setString(4, deviceId);
            Columns.setInstant(ps, 5, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** Whether an open code reserves the device id (the fleet key may not claim it). */
    public static boolean reserved(Connection c, String deviceId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("open-for-device"))) {
            ps.setString(1, deviceId);
            Columns.setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Codes in codeId order, of one device or all. */
    public List<EnrollmentCodeView> list(String deviceId, UUID after, int limit) throws SQLException {
        Instant now = clock.instant();
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("list"))) {
                ps.setString(1, deviceId);
                ps.setString(2, deviceId);
                ps.setObject(3, after);
                ps.setObject(4, after);
                ps.setInt(5, limit);
                List<EnrollmentCodeView> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(rs, now));
                    }
                }
                return out;
            }
        });
    }

    /** Revokes an open code (a used or revoked one is answered as it is); 404 for an unknown id. */
    public EnrollmentCodeView revoke(Actor by, UUID codeId) throws SQLException {
        Instant now = clock.instant();
        return tx.inTransaction(c -> {
            boolean revoked;
            try (PreparedStatement ps = c.prepareStatement(SQL.get("revoke"))) {
                Columns.setInstant(ps, 1, now);
                ps.setString(2, by.id());
                ps.setObject(3, codeId);
                revoked = ps.executeUpdate() == 1;
            }
            EnrollmentCodeView v = get(c, codeId, now);
            if (v == null) {
                throw new ApiException(ErrorCode.NOT_FOUND, "no enrollment code " + codeId);
            }
            if (revoked) {
                AuditLog.write(c, AuditEvent.success(AuditKind.ENROLLMENT_CODE_REVOKED, by, v.deviceId(),
                        v.deviceId(), Json.mapper().createObjectNode().put("codeId", v.codeId()), now));
            }
            return v;
        });
    }

    private static EnrollmentCodeView get(Connection c, UUID codeId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("get"))) {
            ps.setObject(1, codeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? view(rs, now) : null;
            }
        }
    }

    private static EnrollmentCodeView view(ResultSet rs, Instant now) throws SQLException {
        Instant expires = Columns.instant(rs, "expires_at");
        Instant used = Columns.instant(rs, "used_at");
        Instant revoked = Columns.instant(rs, "revoked_at");
        String status = used != null ? "used" : revoked != null ? "revoked"
                : now.isBefore(expires) ? EnrollmentCodeView.OPEN : "expired";
        return new EnrollmentCodeView(rs.getObject("code_id", UUID.class).toString(), rs.getString("device_id"),
                status, rs.getString("created_by"), Columns.instant(rs, "created_at").toString(), expires.toString(),
                used == null ? null : used.toString(), rs.getString("used_from"),
                revoked == null ? null : revoked.toString(), rs.getString("revoked_by"));
    }
}
