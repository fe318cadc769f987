package io.edgesync.dispatcher.deploy;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The registered devices a selector matches, by id: one device, a device type, a label key=value of
 * metadata.labels (as deployments select them), or ({@code ids}) the listed ids that exist.
 */
public final class Selection {
    private Selection() {
    }

    public static List<String> devices(Connection c, DeploymentView.Selector s) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(DeploymentService.SQL.get("devices-by-" + s.type()))) {
            switch (s.type()) {
                case "label" -> {
                    int eq = s.value().indexOf('=');
                    ps.setString(1, s.value().substring(0, eq));
                    ps.setString(2, s.value().substring(eq + 1));
                }
                case "ids" -> ps.setArray(1, textArray(c, List.of(s.value().split(","))));
                default -> ps.setString(1, s.value());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** A TEXT[] parameter (for {@code = ANY(?)}, which CockroachDB and PostgreSQL both accept). */
    public static Array textArray(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(new String[0]));
    }
}
