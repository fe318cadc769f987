package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.S3Server;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.GatewayConfig;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import io.edgesync.sink.archive.ArchiveConfig;
import io.edgesync.sink.archive.RawArchiver;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kafka.properties.*} reaches the Kafka clients of every service: each one, given a
 * {@code security.protocol} the Kafka client does not know, refuses to start with the client's own
 * configuration error naming the property (a service that ignored the pass-through would start).
 */
class KafkaPropertiesIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Path dir;
    static S3Server s3;

    @BeforeAll
    static void start() {
        dir = TempDirs.create("kafka-properties-");
        s3 = S3Server.start(dir.resolve("s3"), 0);
    }

    @AfterAll
    static void stop() {
        s3.close();
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void aBogusSecurityProtocolPassedThroughIsRefusedAtStartUpByEveryService() {
        // GIVEN the settings every service needs, and kafka.properties.security.protocol=BOGUS
        LocalCredentials credentials = LocalCredentials.loadOrCreate(dir.resolve("credentials"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "database.jdbc-url", PG.jdbcUrl(),
                "kafka.properties.security.protocol", "BOGUS",
                "processor.state-dir", dir.resolve("streams").toString(),
                "processor.port", "-1", "sink.port", "-1", "gateway.port", "0", "gateway.auth-mode", "none",
                "dispatcher.port", "0", "dispatcher.signing-key-file", credentials.signingKeyFile().toString()));
        settings.putAll(Map.of("dispatcher.operator-token", credentials.operatorToken(),
                "dispatcher.enrollment-key", credentials.enrollmentKey(),
                "archive.s3.endpoint", s3.endpoint(), "archive.s3.access-key", S3Server.ACCESS_KEY,
                "archive.s3.secret-key", S3Server.SECRET_KEY));
        ConfigSource source = ConfigSource.of(settings);
        Map<String, Function<ConfigSource, AutoCloseable>> services = new LinkedHashMap<>();
        services.put("ingest-gateway", s -> IngestGateway.start(GatewayConfig.from(s)));
        services.put("stream-processor", s -> StreamProcessor.start(ProcessorConfig.from(s)));
        services.put("cockroach-sink", s -> CockroachSink.start(SinkConfig.from(s)));
        services.put("command-dispatcher", s -> CommandDispatcher.start(DispatcherConfig.from(s)));
        services.put("raw-archiver", s -> RawArchiver.start(ArchiveConfig.from(s)));
        services.forEach((name, start) -> {
            // WHEN the service starts
            Throwable e = assertThrows(Throwable.class, () -> start.apply(source).close(), name + " started");
            // THEN it fails with the Kafka client's configuration error for that property
            Throwable root = e;
            while (!(root instanceof ConfigException) && root.getCause() != null) {
                root = root.getCause();
            }
            System.out.printf("service=%s refused=\"%s\"%n", name, root.getMessage());
            assertInstanceOf(ConfigException.class, root, name + ": " + e);
            assertTrue(root.getMessage().contains("security.protocol") && root.getMessage().contains("BOGUS"),
                    name + ": " + root.getMessage());
        });
    }
}
