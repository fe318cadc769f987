package io.edgesync.dispatcher.schema;

import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Edge schema migrations: registered by operators with strictly increasing versions, checked on a
 * scratch SQLite database first ({@link SchemaValidator}), immutable afterwards. Registering the same
 * version with the same content again is a no-op; anything else at or below the latest is 409.
 */
public final class SchemaService {
    private static final Sql SQL = Sql.load("schemas.sql");

    /** The outcome of a registration: the schema and whether this call created it. */
    public record Registered(EdgeSchema schema, boolean created) {
    }

    private final Transactions tx;
    private final SchemaValidator validator;
    private final Clock clock;
    private final Runnable targetChanged;

    /** @param targetChanged told after a new version is committed (every node's target changed) */
    public SchemaService(Transactions tx, SchemaValidator validator, Clock clock, Runnable targetChanged) {
        this.tx = Objects.requireNonNull(tx);
        this.validator = Objects.requireNonNull(validator);
        this.clock = Objects.requireNonNull(clock);
        this.targetChanged = Objects.requireNonNull(targetChanged);
    }

    public Registered register(long version, String description, String upSql, String downSql, String by)
            throws SQLException {
        String checksum = checksum(description, upSql, downSql);
        List<EdgeSchema> existing = list();
        long latest = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).version();
        if (version <= latest) {
            return new Registered(sameOrConflict(existing, version, checksum, latest), false);
        }
        validator.validate(existing, upSql, downSql);
        Instant now = clock.instant();
        EdgeSchema created = tx.inTransaction(c -> {
            long head = lockHead(c);
            if (head != latest) {
                throw new ApiException(ErrorCode.CONFLICT, "version " + head + " was registered meanwhile; "
                        + "register again with a version above it", Map.of("latestVersion", head), null);
            }
            try (PreparedStatement ps = c.prepareStatement(SQL.get("insert-schema"))) {
                ps.setLong(1, version);
                ps.setString(2, description);
                ps.setString(3, upSql);
                ps.setString(4, downSql);
                ps.setString(5, checksum);
                ps.setString(6, by);
                Columns.setInstant(ps, 7, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(SQL.get("move-head"))) {
                ps.setLong(1, version);
                ps.executeUpdate();
            }
            return new EdgeSchema(version, description, upSql, downSql, checksum, by, now.toString());
        });
        targetChanged.run();
        return new Registered(created, true);
    }

    private static EdgeSchema sameOrConflict(List<EdgeSchema> existing, long version, String checksum, long latest) {
        for (EdgeSchema s : existing) {
            if (s.version() == version && s.checksum().equals(checksum)) {
                return s;
            }
        }
        boolean taken = existing.stream().anyMatch(s -> s.version() == version);
        throw new ApiException(ErrorCode.CONFLICT, taken
                ? "version " + version + " is registered with other content; registered versions are immutable"
                : "version " + version + " is not above the latest registered version " + latest,
                Map.of("field", "version", "latestVersion", latest), null);
    }

    /** Every registered version in order. */
    public List<EdgeSchema> list() throws SQLException {
        return tx.inTransaction(c -> after(c, 0));
    }

    /** The versions above {@code version}, in order, on the caller's transaction. */
    public static List<EdgeSchema> after(Connection c, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("schemas-after"))) {
            ps.setLong(1, version);
            List<EdgeSchema> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant at = Columns.instant(rs, "registered_at");
                    out.add(new EdgeSchema(rs.getLong("version"), rs.getString("description"), rs.getString("up_sql"),
                            rs.getString("down_sql"), rs.getString("checksum"), rs.getString("registered_by"),
                            at == null ? null : at.toString()));
                }
            }
            return out;
        }
    }

    /** True when {@code version} is 0 or registered. */
    public static boolean exists(Connection c, long version) throws SQLException {
        if (version == 0) {
            return true;
        }
        try (PreparedStatement ps = c.prepareStatement(SQL.get("schema-exists"))) {
            ps.setLong(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static long lockHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("lock-head")); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static String checksum(String description, String upSql, String downSql) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {description, upSql, downSql == null ? "" : downSql}) {
                d.update(part.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
