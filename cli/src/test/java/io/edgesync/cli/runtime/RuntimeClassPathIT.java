package io.edgesync.cli.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.testsupport.ChildJvm;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code edgesync serve} runs on the runtime class path alone (no embedded module, no test-support, no
 * JUnit): picocli builds the whole command tree, including local, demo and bench, without loading the
 * embedded broker or PostgreSQL. The agent ITs run {@code edgesync agent} on the same class path
 * ({@code AgentProcess}, {@code AgentCliIT}).
 */
class RuntimeClassPathIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static Path dir;

    @BeforeAll
    static void topics() {
        dir = TempDirs.create("runtime-cp-");
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), 1, (short) 1);
    }

    @AfterAll
    static void clean() {
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void serveSinkRunsAndStopsOnTheRuntimeClassPath() throws Exception {
        Path config = dir.resolve("sink.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:", "  bootstrap-servers: " + KAFKA.bootstrapServers(),
                "database:", "  jdbc-url: \"" + PG.jdbcUrl() + "\"", "sink:", "  port: 0", ""));
        // GIVEN serve sink started with only what bin/edgesync gives it
        try (ChildJvm serve = ChildJvm.startOnClassPath("serve-sink-runtime", dir.resolve("serve-sink.log"), "256m",
                RuntimeClassPath.runtime(), EdgeSyncCli.class.getName(), "serve", "sink", "--config",
                config.toString())) {
            // THEN it connects to Kafka and PostgreSQL and runs
            serve.awaitOutput("sink running", 1, Duration.ofSeconds(60));
            // AND a stop request (SIGTERM) ends it after a clean stop; ServeExitIT checks the exit status
            serve.stop(Duration.ofSeconds(60));
            assertTrue(serve.output().contains("event=sink_stopped"), serve.output());
            assertFalse(serve.output().contains("NoClassDefFoundError"), serve.output());
        }
    }

    @Test
    void serveProcessorRunsAndStopsOnTheRuntimeClassPath() throws Exception {
        Path config = dir.resolve("processor.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:", "  bootstrap-servers: " + KAFKA.bootstrapServers(),
                "processor:", "  application-id: runtime-cp-processor", "  state-dir: \"" + dir.resolve("streams")
                        + "\"", "  port: 0", ""));
        try (ChildJvm serve = ChildJvm.startOnClassPath("serve-processor-runtime", dir.resolve("serve-processor.log"),
                "256m", RuntimeClassPath.runtime(), EdgeSyncCli.class.getName(), "serve", "processor", "--config",
                config.toString())) {
            serve.awaitOutput("processor running", 1, Duration.ofSeconds(90));
            serve.stop(Duration.ofSeconds(60));
            assertTrue(serve.output().contains("event=processor_stopped"), serve.output());
        }
    }
}
