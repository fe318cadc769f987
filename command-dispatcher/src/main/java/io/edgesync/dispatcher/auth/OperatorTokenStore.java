package io.edgesync.dispatcher.auth;

import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Rows of {@code operator_tokens}: one per issued operator or viewer token, by its JWT id. */
public final class OperatorTokenStore {
    private static final Sql SQL = Sql.load("operator-tokens.sql");

    /** What authentication needs: the stored role and whether the token was revoked. */
    public record State(String role, boolean revoked) {
    }

    private final Transactions tx;

    public OperatorTokenStore(Transactions tx) {
        this.tx = Objects.requireNonNull(tx);
    }

    public Transactions transactions() {
        return tx;
    }

    public static void insert(Connection c, String tokenId, String name, String role, String issuedBy,
                              Instant createdAt, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("insert"))) {
            ps.setString(1, tokenId);
            ps.setString(2, name);
            ps.setString(3, role);
            ps.setString(4, issuedBy);
            Columns.setInstant(ps, 5, createdAt);
            Columns.setInstant(ps, 6, expiresAt);
            ps.executeUpdate();
        }
    }

    /** @return null when no such token was issued */
    public State state(String tokenId) throws SQLException {
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("state"))) {
                ps.setString(1, tokenId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new State(rs.getString(1), rs.getObject(2) != null) : null;
                }
            }
        });
    }

    public List<OperatorTokenView> list(String after, int limit, Instant now) throws SQLException {
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("list"))) {
                ps.setString(1, after == null ? "" : after);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<OperatorTokenView> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(view(rs, now));
                    }
                    return out;
                }
            }
        });
    }

    public static OperatorTokenView get(Connection c, String tokenId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("get"))) {
            ps.setString(1, tokenId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? view(rs, now) : null;
            }
        }
    }

    /** @return false when the token was revoked already (or does not exist) */
    public static boolean revoke(Connection c, String tokenId, String by, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("revoke"))) {
            Columns.setInstant(ps, 1, now);
            ps.setString(2, by);
            ps.setString(3, tokenId);
            return ps.executeUpdate() == 1;
        }
    }

    private static OperatorTokenView view(ResultSet rs, Instant now) throws SQLException {
        Instant expires = Columns.instant(rs, "expires_at");
        Instant revoked = Columns.instant(rs, "revoked_at");
        String status = revoked != null ? "revoked" : now.isBefore(expires) ? "active" : "expired";
        return new OperatorTokenView(rs.getString("token_id"), rs.getString("name"), rs.getString("role"), status,
                rs.getString("issued_by"), Columns.instant(rs, "created_at").toString(), expires.toString(),
                revoked == null ? null : revoked.toString(), rs.getString("revoked_by"));
    }
}
