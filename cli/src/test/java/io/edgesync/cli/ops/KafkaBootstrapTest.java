package io.edgesync.cli.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgesync dlq} reads Kafka's address from the same setting as the services; the old name warns. */
class KafkaBootstrapTest {
    private final StringWriter err = new StringWriter();

    private String resolve(String option, Map<String, String> env) {
        return KafkaBootstrap.resolve(option, env, new PrintWriter(err, true));
    }

    @Test
    void theServicesVariableIsUsed() {
        assertEquals("k1:9092", resolve(null, Map.of("EDGESYNC_KAFKA_BOOTSTRAP_SERVERS", "k1:9092")));
        assertEquals("", err.toString());
    }

    @Test
    void theServicesFileVariableIsUsed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bootstrap"), "k2:9092\n");
        assertEquals("k2:9092", resolve(null, Map.of("EDGESYNC_KAFKA_BOOTSTRAP_SERVERS_FILE", file.toString())));
    }

    @Test
    void theOptionWinsOverTheEnvironment() {
        assertEquals("opt:9092", resolve("opt:9092", Map.of("EDGESYNC_KAFKA_BOOTSTRAP_SERVERS", "k1:9092",
                "EDGESYNC_KAFKA_BOOTSTRAP", "old:9092")));
        assertEquals("", err.toString());
    }

    @Test
    void theOldVariableStillWorksWithADeprecationLine() {
        assertEquals("old:9092", resolve(null, Map.of("EDGESYNC_KAFKA_BOOTSTRAP", "old:9092")));
        assertTrue(err.toString().contains("EDGESYNC_KAFKA_BOOTSTRAP is deprecated"), err.toString());
        assertTrue(err.toString().contains("EDGESYNC_KAFKA_BOOTSTRAP_SERVERS"), err.toString());
    }

    @Test
    void theNewVariableWinsOverTheOldOneSilently() {
        assertEquals("k1:9092", resolve(null, Map.of("EDGESYNC_KAFKA_BOOTSTRAP_SERVERS", "k1:9092",
                "EDGESYNC_KAFKA_BOOTSTRAP", "old:9092")));
        assertEquals("", err.toString());
    }

    @Test
    void withoutAnyTheDefaultIsLocal() {
        assertEquals("127.0.0.1:9092", resolve(null, Map.of()));
    }
}
