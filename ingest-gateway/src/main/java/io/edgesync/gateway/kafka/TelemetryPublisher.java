package io.edgesync.gateway.kafka;

import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.gateway.GatewayConfig;
import io.edgesync.shared.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryPublisher.class);

    private final Supplier<Producer<byte[], byte[]>> factory;
    private final AtomicReference<Producer<byte[], byte[]>> producer;
    private volatile boolean closed;
    private MeterRegistry registry;
    private KafkaClientMetrics producerMetrics;

    /**
     * @param factory makes a producer; called once now, and again when the idempotent producer's
     *                sequence state is lost (e.g. the broker restarted while batches expired), which
     *                a fresh producer id clears at once
     */
    public TelemetryPublisher(Supplier<Producer<byte[], byte[]>> factory) {
        this.factory = factory;
        this.producer = new AtomicReference<>(factory.get());
    }

    /** The producer's meters ({@code kafka_producer_*}) in {@code registry}, following replacements. */
    public synchronized TelemetryPublisher withMetrics(MeterRegistry registry) {
        this.registry = registry;
        bindMetrics(producer.get());
        return this;
    }

    private synchronized void bindMetrics(Producer<byte[], byte[]> current) {
        if (registry == null) {
            return;
        }
        if (producerMetrics != null) {
            producerMetrics.close();
        }
        producerMetrics = new KafkaClientMetrics(current, Tags.of("stage", "gateway"));
        producerMetrics.bindTo(registry);
    }

    public static TelemetryPublisher create(KafkaClients kafka, Duration produceTimeout,
                                            GatewayConfig.Producer tuning) {
        int timeoutMs = (int) produceTimeout.toMillis();
        Map<String, Object> config = Map.ofEntries(
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
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        return new TelemetryPublisher(() -> new KafkaProducer<>(kafka.producer(config)));
    }

    /**
     * Sends every value under the device's key. The future fails if any record is not acknowledged;
     * then some of the batch may be in the topic, which the stream processor dedupes on resend.
     * Failing to even hand a record to the producer (metadata unavailable within max.block.ms,
     * producer closed) fails the future too; it never throws.
     */
    public CompletableFuture<Void> publish(String deviceId, List<byte[]> values) {
        Producer<byte[], byte[]> current = producer.get();
        byte[] key = deviceId.getBytes(StandardCharsets.UTF_8); // the key serializer's bytes, made once per batch
        BatchAck ack = new BatchAck(values.size());
        ack.whenComplete((ok, error) -> {
            if (error != null && sequenceStateLost(error)) {
                replace(current, error);
            }
        });
        try {
            for (byte[] value : values) {
                current.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), null, key, value, List.of(HEADERS)),
                        ack);
            }
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return ack;
    }

    private static boolean sequenceStateLost(Throwable failure) {
        Throwable error = failure.getCause() != null && failure instanceof org.apache.kafka.common.KafkaException
                && !(failure instanceof org.apache.kafka.common.errors.ApiException) ? failure.getCause() : failure;
        return error instanceof OutOfOrderSequenceException || error instanceof UnknownProducerIdException
                || error instanceof InvalidProducerEpochException || error instanceof ProducerFencedException
                || error instanceof IllegalStateException;
    }

    private void replace(Producer<byte[], byte[]> broken, Throwable error) {
        if (closed) {
            return;
        }
        Producer<byte[], byte[]> fresh = factory.get();
        if (producer.compareAndSet(broken, fresh)) {
            bindMetrics(fresh);
            LOG.warn("event=producer_replaced reason={}", error.getClass().getSimpleName());
            Thread closer = new Thread(() -> broken.close(Duration.ZERO), "gateway-producer-close");
            closer.setDaemon(true);
            closer.start();
        } else {
            fresh.close(Duration.ZERO);
        }
    }

    public void flush() {
        producer.get().flush();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (producerMetrics != null) {
                producerMetrics.close();
            }
        }
        producer.get().close(Duration.ofSeconds(10));
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
