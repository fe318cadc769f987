package io.edgesync.shared.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one Kafka client-properties builder: pass-through reaches every kind of client, reserved keys are refused. */
class KafkaClientsTest {

    @Test
    void aPassThroughPropertyReachesProducerConsumerAndAdminConfigs() {
        KafkaClients kafka = KafkaClients.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", "broker-1:9093",
                "kafka.properties.security.protocol", "SASL_SSL",
                "kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.properties.linger.ms", "20")));

        ProducerConfig producer = new ProducerConfig(kafka.producer(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 1)));
        ConsumerConfig consumer = new ConsumerConfig(kafka.consumer(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class)));
        AdminClientConfig admin = new AdminClientConfig(kafka.admin(Map.of()));

        assertEquals("SASL_SSL", producer.getString("security.protocol"));
        assertEquals("SASL_SSL", consumer.getString("security.protocol"));
        assertEquals("SASL_SSL", admin.getString("security.protocol"));
        assertEquals("SCRAM-SHA-512", admin.getString("sasl.mechanism"));
        assertEquals(20L, producer.getLong(ProducerConfig.LINGER_MS_CONFIG), "the operator's tuning wins over ours");
        assertEquals(java.util.List.of("broker-1:9093"), consumer.getList("bootstrap.servers"));
        assertEquals("SASL_SSL", kafka.streams(Map.of()).getProperty("security.protocol"));
    }

    @Test
    void environmentVariablesAndSecretFilesArePassedThrough(@TempDir Path dir) throws Exception {
        Path jaas = dir.resolve("jaas");
        Files.writeString(jaas, "org.apache.kafka.common.security.scram.ScramLoginModule required;\n");
        ConfigSource source = ConfigSource.load(null, Map.of(
                "EDGESYNC_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SSL",
                "EDGESYNC_KAFKA_PROPERTIES_SASL_JAAS_CONFIG_FILE", jaas.toString()));

        Map<String, String> passed = KafkaClients.from(source).passThrough();

        assertEquals("SSL", passed.get("security.protocol"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required;", passed.get("sasl.jaas.config"));
    }

    @Test
    void aPropertyEdgeSyncSetsItselfIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaClients.from(ConfigSource.of(Map.of(
                "kafka.properties.enable.idempotence", "false"))));
        assertTrue(e.getMessage().contains("kafka.properties.enable.idempotence"), e.getMessage());
    }

    @Test
    void topicsGetTheConfiguredMinInsyncReplicasAndMoreThanTheReplicationFactorIsRefused() {
        KafkaClients kafka = KafkaClients.from(ConfigSource.of(Map.of(
                "kafka.replication-factor", "3", "kafka.min-insync-replicas", "2")));
        assertEquals(3, kafka.replicationFactor());
        assertEquals("2", kafka.topicConfigs(Map.of("cleanup.policy", "compact")).get("min.insync.replicas"));
        assertEquals("compact", kafka.topicConfigs(Map.of("cleanup.policy", "compact")).get("cleanup.policy"));

        ConfigException e = assertThrows(ConfigException.class, () -> KafkaClients.from(ConfigSource.of(Map.of(
                "kafka.replication-factor", "1", "kafka.min-insync-replicas", "2"))));
        assertTrue(e.getMessage().contains("kafka.min-insync-replicas"), e.getMessage());
    }
}
