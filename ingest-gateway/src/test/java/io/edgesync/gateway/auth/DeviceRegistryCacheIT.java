package io.edgesync.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's registry reader against the real broker, with a consumer that can be made to fail:
 * while it fails the cache is not loaded (the gateway's readiness is {@code loaded()}), and once it
 * can read again it is restarted and applies the revocation written meanwhile.
 */
class DeviceRegistryCacheIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);

    @Test
    void readerThatFailsMakesTheGatewayNotReadyAndIsRestartedSoRevocationsKeepApplying() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(false);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            publish(producer, new RegistryEntry("dev-1", RegistryEntry.ACTIVE, 1, 1));
            try (DeviceRegistryCache cache = DeviceRegistryCache.start(() -> new FlakyConsumer(broken),
                    Duration.ofMillis(100))) {
                // GIVEN the registry is read
                Await.until(WAIT, cache::loaded, Boolean::booleanValue, "registry loaded");
                assertEquals(RegistryEntry.ACTIVE, cache.entry("dev-1").orElseThrow().status());

                // WHEN its reader fails (and keeps failing for a while)
                broken.set(true);
                // THEN the cache is no longer loaded: the gateway is not ready
                Await.until(WAIT, cache::loaded, loaded -> !loaded, "not loaded while the reader fails");
                Await.until(WAIT, cache::restarts, n -> n >= 2, "the reader restarted after each failure");
                publish(producer, new RegistryEntry("dev-1", RegistryEntry.REVOKED, 1, 2));

                // AND once it can read again the restarted reader applies the revocation written meanwhile
                broken.set(false);
                Await.until(WAIT, cache::loaded, Boolean::booleanValue, "loaded again");
                Await.until(WAIT, () -> cache.entry("dev-1").orElseThrow().status(), RegistryEntry.REVOKED::equals,
                        "the revocation applied after the restart");
                assertTrue(cache.restarts() >= 2);
            }
        }
    }

    private static void publish(KafkaProducer<String, byte[]> producer, RegistryEntry entry) throws Exception {
        producer.send(new ProducerRecord<>(Topics.DEVICE_REGISTRY.name(), entry.deviceId(), Json.toBytes(entry))).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A real consumer of the test broker whose poll throws while {@code broken} is set. */
    private static final class FlakyConsumer extends KafkaConsumer<String, byte[]> {
        private final AtomicBoolean broken;

        FlakyConsumer(AtomicBoolean broken) {
            super(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                    new ByteArrayDeserializer());
            this.broken = broken;
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            if (broken.get()) {
                throw new KafkaException("injected failure of the registry reader");
            }
            return super.poll(timeout);
        }
    }
}
