package io.edgesync.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamProcessorPropertiesTest {
    @Test
    void processorRunsExactlyOnceV2WithTheConfiguredSettings() {
        ProcessorConfig config = ProcessorConfig.from(ConfigSource.of(Map.of(
                "processor.application-id", "app", "processor.session-timeout", "6s",
                "processor.commit-interval", "250ms", "processor.stream-threads", "3",
                "processor.cache-max-bytes", "1024")));

        Properties p = StreamProcessor.properties(config);

        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("app", p.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals(250L, p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(3, p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals(1024L, p.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
        assertEquals(6_000, p.get(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)));
        assertEquals(2_000, p.get(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)));
        assertEquals(Topics.TELEMETRY_DLQ.name(), p.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        // Kafka Streams accepts the whole set
        new StreamsConfig(p);
    }

    @Test
    void aKafkaPassThroughPropertyReachesStreamsAndItsClientsAndTopicsGetTheReplication() {
        ProcessorConfig config = ProcessorConfig.from(ConfigSource.of(Map.of(
                "kafka.properties.security.protocol", "SASL_SSL", "kafka.properties.sasl.mechanism", "PLAIN",
                "kafka.replication-factor", "3", "kafka.min-insync-replicas", "2")));

        StreamsConfig streams = new StreamsConfig(StreamProcessor.properties(config));

        assertEquals("SASL_SSL", streams.getString("security.protocol"));
        assertEquals("SASL_SSL", streams.getMainConsumerConfigs("g", "c", 0).get("security.protocol"));
        assertEquals("SASL_SSL", streams.getProducerConfigs("c").get("security.protocol"));
        assertEquals("PLAIN", streams.getAdminConfigs("c").get("sasl.mechanism"));
        assertEquals(3, streams.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG));
        assertEquals("2", StreamProcessor.properties(config).get(StreamsConfig.topicPrefix("min.insync.replicas")));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    @Test
    void defaultsAreSevenDaysRetentionAndAHundredMillisecondCommit() {
        ProcessorConfig config = ProcessorConfig.from(ConfigSource.of(Map.of()));

        assertEquals(Duration.ofDays(7), config.retention());
        assertEquals(Duration.ofMillis(100), config.commitInterval());
        assertEquals(Duration.ofSeconds(45), config.sessionTimeout());
    }

    @Test
    void zeroDurationIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ProcessorConfig.from(ConfigSource.of(
                Map.of("processor.stats-interval", "0s"))));

        assertTrue(e.getMessage().contains("processor.stats-interval"), e.getMessage());
    }
}
