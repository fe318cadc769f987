package io.edgesync.dispatcher.function;

import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Function artifacts: immutable (name, version) rows in {@code functions}, bytes in the object store.
 * An upload inserts the row and stores the bytes in one transaction, so a concurrent upload of the same
 * (name, version) waits on the row and then compares hashes: same bytes 200, different bytes 409.
 */
public final class FunctionService {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionService.class);
    private static final Sql SQL = Sql.load("functions.sql");
    public static final String CONTENT_TYPE = "application/wasm";

    /** An upload's outcome: {@code created} false when the same bytes were stored before. */
    public record Upload(FunctionView function, boolean created) {
    }

    private final Transactions tx;
    private final ObjectStore store;
    private final Clock clock;
    private final Duration urlTtl;

    public FunctionService(Transactions tx, ObjectStore store, Clock clock, Duration urlTtl) {
        this.tx = Objects.requireNonNull(tx);
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.urlTtl = Objects.requireNonNull(urlTtl);
    }

    public static String storagePath(String name, String version) {
        return "wasm-functions/" + name + "/" + version + "/function.wasm";
    }

    public Upload upload(String name, String version, byte[] bytes) throws SQLException {
        WasmCheck.check(bytes);
        String hash = sha256(bytes);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        String path = storagePath(name, version);
        return tx.inTransaction(c -> {
            int inserted;
            try (PreparedStatement ps = c.prepareStatement(SQL.get("insert"))) {
                ps.setObject(1, id);
                ps.setString(2, name);
                ps.setString(3, version);
                ps.setString(4, hash);
                ps.setLong(5, bytes.length);
                ps.setString(6, path);
                Columns.setInstant(ps, 7, now);
                inserted = ps.executeUpdate();
            }
            if (inserted == 1) {
                try {
                    store.put(path, bytes, CONTENT_TYPE);
                } catch (ObjectStore.StorageException e) {
                    throw unavailable(e);
                }
                LOG.info("event=function_stored name={} version={} size_bytes={} hash={}", name, version,
                        bytes.length, hash);
                return new Upload(new FunctionView(id.toString(), name, version, hash, bytes.length, now.toString()),
                        true);
            }
            FunctionView existing = one(c, "by-name-version", ps -> {
                ps.setString(1, name);
                ps.setString(2, version);
            });
            if (!existing.hash().equals(hash)) {
                throw new ApiException(ErrorCode.CONFLICT, "function " + name + " version " + version
                        + " exists with other bytes; versions are immutable, upload a new version",
                        Map.of("id", existing.id(), "hash", existing.hash()), null);
            }
            return new Upload(existing, false);
        });
    }

    public FunctionView get(String id) throws SQLException {
        UUID uuid = parse(id);
        return tx.inTransaction(c -> one(c, "by-id", ps -> ps.setObject(1, uuid)));
    }

    public List<FunctionView> list(String name, int limit) throws SQLException {
        return tx.inTransaction(c -> {
            List<FunctionView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SQL.get("list"))) {
                ps.setString(1, name);
                ps.setString(2, name);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(rs));
                    }
                }
            }
            return out;
        });
    }

    /** A signed GET URL of the function's bytes; a device only for a function it is given (see {@code mayFetch}). */
    public String downloadUrl(String id, FetchCheck mayFetch) throws SQLException {
        UUID uuid = parse(id);
        FunctionView f = tx.inTransaction(c -> {
            FunctionView v = one(c, "by-id", ps -> ps.setObject(1, uuid));
            if (!mayFetch.test(c, uuid)) {
                throw new ApiException(ErrorCode.FORBIDDEN, "function " + id + " is not deployed to this device");
            }
            return v;
        });
        return signedUrl(f.name(), f.version());
    }

    /** A signed URL for a known (name, version): for sync plans. */
    public String signedUrl(String name, String version) {
        try {
            return store.signedGetUrl(storagePath(name, version), urlTtl);
        } catch (ObjectStore.StorageException e) {
            throw unavailable(e);
        }
    }

    /** Whether a device runs or is assigned the function (node_function_deployments or its targets). */
    public static boolean deviceRuns(Connection c, UUID functionId, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("device-may-fetch"))) {
            ps.setObject(1, functionId);
            ps.setString(2, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    /** Deletes a version no deployment names and no device runs; else 409. */
    public void delete(String id) throws SQLException {
        UUID uuid = parse(id);
        FunctionView f = tx.inTransaction(c -> {
            FunctionView v = one(c, "lock-by-id", ps -> ps.setObject(1, uuid));
            try (PreparedStatement ps = c.prepareStatement(SQL.get("deployed-count"))) {
                ps.setObject(1, uuid);
                ps.setObject(2, uuid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        throw new ApiException(ErrorCode.CONFLICT, "function " + v.name() + " version " + v.version()
                                + " is deployed; delete its deployments (and let devices sync) first",
                                Map.of("id", id), null);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SQL.get("delete"))) {
                ps.setObject(1, uuid);
                ps.executeUpdate();
            }
            return v;
        });
        try {
            store.delete(storagePath(f.name(), f.version()));
        } catch (ObjectStore.StorageException e) {
            LOG.warn("event=function_object_delete_failed name={} version={} reason=\"{}\"", f.name(), f.version(),
                    e.getCause());
        }
        LOG.info("event=function_deleted name={} version={}", f.name(), f.version());
    }

    /** Whether the caller may fetch the function, checked inside the transaction. */
    public interface FetchCheck {
        boolean test(Connection c, UUID functionId) throws SQLException;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static FunctionView one(Connection c, String statement, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get(statement))) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ApiException(ErrorCode.NOT_FOUND, "no such function", Map.of(), null);
                }
                return view(rs);
            }
        }
    }

    private static FunctionView view(ResultSet rs) throws SQLException {
        return new FunctionView(rs.getObject("function_id", UUID.class).toString(), rs.getString("name"),
                rs.getString("version"), rs.getString("hash"), rs.getLong("size_bytes"),
                Columns.instant(rs, "created_at").toString());
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no function " + id, Map.of("field", "id"), null);
        }
    }

    private static ApiException unavailable(ObjectStore.StorageException e) {
        LOG.warn("event=object_store_error reason=\"{}\" cause=\"{}\"", e.getMessage(), String.valueOf(e.getCause()));
        return new ApiException(ErrorCode.UNAVAILABLE, "object store unavailable; retry", Map.of(),
                Duration.ofSeconds(1));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
