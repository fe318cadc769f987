package io.edgesync.gateway.kafka;

import io.edgesync.gateway.GatewayConfig;
import io.edgesync.shared.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes accepted telemetry to {@code telemetry.raw} with an idempotent, acks=all producer. A batch
 * is sent without waiting, and one future completes when Kafka has acknowledged every record of it
 * (or fails with the first error).
 */
public final class TelemetryPublisher implements AutoCloseable {
    private static final Header[] HEADERS = {
        new RecordHeader(Topics.HEADER_CONTENT_TYPE, Topics.CONTENT_TYPE_JSON.getBytes(StandardCharsets.UTF_8)),
        new RecordHeader(Topics.HEADER_SCHEMA_VERSION, Topics.SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8))
    };

    private final Producer<String, byte[]> producer;

    public TelemetryPublisher(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    public static TelemetryPublisher create(String bootstrapServers, Duration produceTimeout,
                                            GatewayConfig.Producer tuning) {
        int timeoutMs = (int) produceTimeout.toMillis();
        Map<String, Object> config = Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "ingest-gateway"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, tuning.compression().name().toLowerCase(Locale.ROOT)),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, (int) tuning.linger().toMillis()),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, tuning.batchBytes()),
                Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024),
                Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeoutMs, 5_000)),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMs - 5)),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(1_010, timeoutMs)),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        return new TelemetryPublisher(new KafkaProducer<>(config));
    }

    /**
     * Sends every value under the device's key. The future fails if any record is not acknowledged;
     * then some of the batch may be in the topic, which the stream processor dedupes on resend.
     * Failing to even hand a record to the producer (metadata unavailable within max.block.ms,
     * producer closed) fails the future too; it never throws.
     */
    public CompletableFuture<Void> publish(String deviceId, List<byte[]> values) {
        BatchAck ack = new BatchAck(values.size());
        try {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), null, deviceId, value, List.of(HEADERS)),
                        ack);
            }
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return ack;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Completes when every record of a batch is acknowledged; fails on the first error. */
    private static final class BatchAck extends CompletableFuture<Void> implements Callback {
        private final AtomicInteger remaining;

        BatchAck(int records) {
            this.remaining = new AtomicInteger(records);
            if (records == 0) {
                complete(null);
            }
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error != null) {
                completeExceptionally(error);
            } else if (remaining.decrementAndGet() == 0) {
                complete(null);
            }
        }
    }
}
