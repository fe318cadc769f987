package io.edgesync.cli.agent;

import io.edgesync.gateway.GatewayConfig;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.gateway.auth.TrustingAuthenticator;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.KafkaTopics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The real cloud side for agent tests: stream processor and sink against the test's broker and
 * PostgreSQL, and a gateway that the test can stop and start again on the same port.
 */
public final class CloudPipeline implements AutoCloseable {
    private final Map<String, String> settings = new HashMap<>();
    private final StreamProcessor processor;
    private final CockroachSink sink;
    private final DataSource db;
    private IngestGateway gateway;

    public CloudPipeline(String bootstrap, String jdbcUrl, DataSource db, Path dir) {
        this(bootstrap, jdbcUrl, db, dir, Map.of());
    }

    /** With extra settings for the processor and the sink (e.g. processor.stats-interval). */
    public CloudPipeline(String bootstrap, String jdbcUrl, DataSource db, Path dir, Map<String, String> extra) {
        settings.put("kafka.bootstrap-servers", bootstrap);
        settings.put("database.jdbc-url", jdbcUrl);
        settings.put("processor.state-dir", dir.resolve("streams").toString());
        settings.put("gateway.auth-mode", "none");
        settings.put("processor.port", "-1");
        settings.put("sink.port", "-1");
        settings.putAll(extra);
        this.db = db;
        processor = StreamProcessor.start(ProcessorConfig.from(ConfigSource.of(settings)));
        sink = CockroachSink.start(SinkConfig.from(ConfigSource.of(settings)));
    }

    /** Starts a gateway on {@code port} with extra settings (e.g. gateway.max-batch-records). */
    public IngestGateway startGateway(int port, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(settings);
        s.put("gateway.port", Integer.toString(port));
        s.putAll(extra);
        IngestGateway g = IngestGateway.start(GatewayConfig.from(ConfigSource.of(s)), new TrustingAuthenticator());
        if (port != 0) {
            gateway = g;
        }
        return g;
    }

    void stopGateway() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    /** Table rows the sink has committed since start. */
    long tableRowsWritten() {
        return sink.tableRowsWritten();
    }

    long rows(String deviceId) throws SQLException {
        return query("SELECT count(*) FROM telemetry_data WHERE device_id = ?", deviceId);
    }

    /** copies → identities of the device in telemetry.clean (read_committed): {@code {1=n}} when each is there once. */
    Map<Long, Long> copiesInClean(String deviceId) {
        return KafkaTopics.copyHistogram(KafkaTopics.telemetryCopies(settings.get("kafka.bootstrap-servers"),
                Topics.TELEMETRY_CLEAN.name(), deviceId));
    }

    private long query(String sql, String deviceId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() {
        stopGateway();
        processor.close();
        sink.close();
    }
}
