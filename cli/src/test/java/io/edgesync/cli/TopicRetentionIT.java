package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code edgesync topics --retention}: per-topic retention on a real broker, for existing topics too. */
class TopicRetentionIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    static String retention(String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(r)).all().get().get(r).get(TopicConfig.RETENTION_MS_CONFIG).value();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theRawLogCanBeKeptAsLongAsTheTable() throws Exception {
        // GIVEN the topics as created (telemetry.raw keeps 7 days)
        assertEquals(Long.toString(Duration.ofDays(7).toMillis()), retention(Topics.TELEMETRY_RAW.name()));
        // WHEN the operator asks for 90 days, as long as sink.retention keeps rows
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TopicsCommand()).setErr(new PrintWriter(err));
        int code = cli.execute("--bootstrap-servers", KAFKA.bootstrapServers(), "--replication-factor", "1",
                "--retention", "telemetry.raw=90d", "--retention", "telemetry.clean=PT36H");
        assertEquals(0, code, err.toString());
        // (the broker applies a committed config change to its metadata a moment later)
        Await.equalTo(Duration.ofSeconds(10), () -> retention(Topics.TELEMETRY_RAW.name()),
                Long.toString(Duration.ofDays(90).toMillis()), "telemetry.raw retention");
        Await.equalTo(Duration.ofSeconds(10), () -> retention(Topics.TELEMETRY_CLEAN.name()),
                Long.toString(Duration.ofHours(36).toMillis()), "telemetry.clean retention");
        // AND nonsense is refused with a clear message, changing nothing
        for (String bad : List.of("telemetry.nope=1d", "telemetry.raw=soon", "telemetry.raw=0s")) {
            StringWriter e = new StringWriter();
            assertEquals(2, new CommandLine(new TopicsCommand()).setErr(new PrintWriter(e))
                    .execute("--bootstrap-servers", KAFKA.bootstrapServers(), "--retention", bad), bad);
            assertTrue(e.toString().contains("--retention"), e.toString());
        }
        assertEquals(Long.toString(Duration.ofDays(90).toMillis()), retention(Topics.TELEMETRY_RAW.name()));
    }
}
