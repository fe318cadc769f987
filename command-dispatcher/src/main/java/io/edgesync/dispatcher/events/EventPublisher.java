package io.edgesync.dispatcher.events;

import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's Kafka producer: command state changes to {@code command.events} (after the
 * database transaction committed, without waiting), and the records of the transactional outbox
 * ({@code device.registry}, the audit topic) for {@link OutboxRelay}.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaProducer<String, byte[]> producer;

    public EventPublisher(KafkaClients kafka) {
        this.producer = new KafkaProducer<>(kafka.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.CLIENT_ID_CONFIG, "command-dispatcher")),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A consumer of {@code command.events} for {@link CommandWakeups}: no group, nothing committed. */
    public static org.apache.kafka.clients.consumer.Consumer<String, byte[]> wakeupConsumer(KafkaClients kafka) {
        return new org.apache.kafka.clients.consumer.KafkaConsumer<>(kafka.consumer(Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.CLIENT_ID_CONFIG, "command-dispatcher-wakeups",
                org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100)),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    /** For the outbox relay: a record as stored in {@code event_outbox}. */
    public Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, null, key, value, Topics.jsonHeaders()));
    }

    public void commandEvents(List<CommandEvent> events) {
        for (CommandEvent e : events) {
            producer.send(new ProducerRecord<>(Topics.COMMAND_EVENTS.name(), null, e.deviceId(), Json.toBytes(e),
                    Topics.jsonHeaders()),
                    (metadata, error) -> {
                        if (error != null) {
                            LOG.warn("event=command_event_publish_failed command_id={} status={} reason=\"{}\"",
                                    e.commandId(), e.status(), error.toString());
                        }
                    });
        }
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
