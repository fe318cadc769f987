package io.edgesync.dispatcher.events;

import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the dispatcher decided, after the database transaction committed: registry
 * entries to the compacted {@code device.registry} (synchronously, so a 200 on rotation or
 * revocation means the gateway can see it) and command state changes to {@code command.events}.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, byte[]> producer;

    public EventPublisher(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.CLIENT_ID_CONFIG, "command-dispatcher"),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Waits for the broker; a failure is 503 and the caller may repeat the (idempotent) request. */
    public void registry(RegistryEntry entry) {
        try {
            producer.send(new ProducerRecord<>(Topics.DEVICE_REGISTRY.name(), entry.deviceId(), Json.toBytes(entry)))
                    .get(REGISTRY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(entry);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("event=registry_publish_failed device_id={} reason=\"{}\"", entry.deviceId(), e.toString());
            throw unavailable(entry);
        }
    }

    /**
     * Without waiting: for a new device's first entry, which only confirms what the gateway already
     * accepts (a device with no entry is checked by signature alone). A failure is logged.
     */
    public void registryAsync(RegistryEntry entry) {
        producer.send(new ProducerRecord<>(Topics.DEVICE_REGISTRY.name(), entry.deviceId(), Json.toBytes(entry)),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warn("event=registry_publish_failed device_id={} reason=\"{}\"", entry.deviceId(),
                                error.toString());
                    }
                });
    }

    public void commandEvents(List<CommandEvent> events) {
        for (CommandEvent e : events) {
            producer.send(new ProducerRecord<>(Topics.COMMAND_EVENTS.name(), e.deviceId(), Json.toBytes(e)),
                    (metadata, error) -> {
                        if (error != null) {
                            LOG.warn("event=command_event_publish_failed command_id={} status={} reason=\"{}\"",
                                    e.commandId(), e.status(), error.toString());
                        }
                    });
        }
    }

    private static ApiException unavailable(RegistryEntry entry) {
        return new ApiException(ErrorCode.UNAVAILABLE, "saved, but device.registry could not be written for "
                + entry.deviceId() + "; repeat the request", Map.of(), Duration.ofSeconds(1));
    }

    /** The producer's meters ({@code kafka_producer_*}, tag {@code stage="dispatcher"}). */
    public io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics meters() {
        return new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer,
                io.micrometer.core.instrument.Tags.of("stage", "dispatcher"));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
