package io.edgesync.agent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The edge functions installed on this device, kept in the agent's SQLite store ({@code edge_functions}):
 * the verified module bytes with their id, name, version, SHA-256 and order. One version per name: installing
 * a name again replaces it, in one transaction.
 */
public final class FunctionStore {
    /** One installed function; {@code module} is the verified WebAssembly binary. */
    public record StoredFunction(String id, String name, String version, String hash, int order, byte[] module) {
    }

    private final LocalStore store;

    public FunctionStore(LocalStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** Installs {@code f}, replacing any function of the same id or name. */
    public void install(StoredFunction f) {
        store.inTransaction(() -> {
            try (PreparedStatement del = store.connection().prepareStatement(
                    "DELETE FROM edge_functions WHERE id = ? OR name = ?")) {
                del.setString(1, f.id());
                del.setString(2, f.name());
                del.executeUpdate();
            }
            try (PreparedStatement ins = store.connection().prepareStatement("INSERT INTO edge_functions (id, name,"
                    + " version, hash, fn_order, module, size_bytes, installed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ins.setString(1, f.id());
                ins.setString(2, f.name());
                ins.setString(3, f.version());
                ins.setString(4, f.hash());
                ins.setInt(5, f.order());
                ins.setBytes(6, f.module());
                ins.setLong(7, f.module().length);
                ins.setLong(8, store.clock().millis());
                ins.executeUpdate();
            }
            return null;
        });
    }

    /** Removes the function {@code id}; returns whether it was installed. */
    public boolean remove(String id) {
        return store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("DELETE FROM edge_functions WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Every installed function, in the order they apply to readings. */
    public List<StoredFunction> all() {
        return store.inTransaction(() -> {
            List<StoredFunction> out = new ArrayList<>();
            try (PreparedStatement ps = store.connection().prepareStatement("SELECT id, name, version, hash, fn_order,"
                    + " module FROM edge_functions ORDER BY fn_order, name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredFunction(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5), rs.getBytes(6)));
                }
            }
            return out;
        });
    }
}
