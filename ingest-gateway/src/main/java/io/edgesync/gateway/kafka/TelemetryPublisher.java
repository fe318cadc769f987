package io.edgesync.gateway.kafka;

import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes accepted telemetry to {@code telemetry.raw} with an idempotent, acks=all producer and
 * returns only once Kafka has acknowledged every record of the batch.
 */
public final class TelemetryPublisher implements AutoCloseable {
    private static final byte[] CONTENT_TYPE = Topics.CONTENT_TYPE_JSON.getBytes(StandardCharsets.UTF_8);
    private static final byte[] SCHEMA_VERSION = Topics.SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8);

    private final Producer<String, byte[]> producer;

    public TelemetryPublisher(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    public static TelemetryPublisher create(String bootstrapServers, Duration produceTimeout) {
        int timeoutMs = (int) produceTimeout.toMillis();
        Map<String, Object> config = Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "ingest-gateway"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 5),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeoutMs, 5_000)),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMs - 5)),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(1_005 + 5, timeoutMs)),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        return new TelemetryPublisher(new KafkaProducer<>(config));
    }

    /**
     * Sends every record and waits for all acknowledgements.
     *
     * @throws PublishException if any record was not acknowledged within the timeout; some of the
     *                          batch may be in the topic, which the stream processor dedupes on resend
     */
    public void publish(List<TelemetryRecord> records, Duration timeout) throws PublishException {
        List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
        try {
            for (TelemetryRecord r : records) {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                RecordHeaders headers = new RecordHeaders();
                headers.add(Topics.HEADER_CONTENT_TYPE, CONTENT_TYPE);
                headers.add(Topics.HEADER_SCHEMA_VERSION, SCHEMA_VERSION);
                byte[] value = Topics.TELEMETRY_RAW.valueSerde().serializer().serialize(Topics.TELEMETRY_RAW.name(), r);
                producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), null, r.deviceId(), value, headers),
                        (metadata, error) -> {
                            if (error == null) {
                                ack.complete(null);
                            } else {
                                ack.completeExceptionally(error);
                            }
                        });
                acks.add(ack);
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishException("kafka refused the write: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("kafka did not acknowledge within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for kafka", e);
        } catch (RuntimeException e) {
            // send() itself fails fast when metadata is unavailable (max.block.ms) or the producer is closed
            throw new PublishException("kafka unavailable: " + e.getMessage(), e);
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Kafka did not acknowledge; the client should retry the batch. */
    public static final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;

        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
