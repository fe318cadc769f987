package io.edgesync.dispatcher.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The functions deployed to a node (its target), in the order they apply, and the signed URL a node
 * downloads one from. Implemented by the deployments of the edge-functions feature; {@link #NONE}
 * until it is wired.
 */
public interface FunctionTargets {
    /** One function version targeted at a node. */
    record Target(String id, String name, String version, String hash, int order) {
    }

    List<Target> targetedAt(Connection c, String deviceId) throws SQLException;

    String downloadUrl(String functionId);

    /** Records what the device runs after a successful acknowledgement: [{id, name, version, hash, order?}]. */
    default void recordRunning(Connection c, String deviceId, com.fasterxml.jackson.databind.JsonNode running)
            throws SQLException {
    }

    FunctionTargets NONE = new FunctionTargets() {
        @Override
        public List<Target> targetedAt(Connection c, String deviceId) {
            return List.of();
        }

        @Override
        public String downloadUrl(String functionId) {
            throw new IllegalStateException("no function deployments");
        }
    };
}
