package io.edgesync.gateway.tables;

import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes accepted table rows to {@code table-rows.raw} (key: host id; header {@code table}) with an
 * idempotent, acks=all producer of its own. One future per batch completes when Kafka has
 * acknowledged every row (or fails with the first error); a resent batch is deduped downstream.
 */
public final class TableRowPublisher implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;

    public TableRowPublisher(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    public static TableRowPublisher create(KafkaClients kafka, Duration produceTimeout) {
        int timeoutMs = (int) produceTimeout.toMillis();
        Map<String, Object> config = kafka.producer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "ingest-gateway-tables",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeoutMs, 5_000),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMs - 5),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(1_010, timeoutMs)));
        return new TableRowPublisher(new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    public CompletableFuture<Void> publish(String hostId, String table, List<byte[]> values) {
        byte[] key = hostId.getBytes(StandardCharsets.UTF_8);
        List<Header> headers = List.of(
                new RecordHeader(Topics.HEADER_TABLE, table.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(Topics.HEADER_CONTENT_TYPE, Topics.CONTENT_TYPE_JSON.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(Topics.HEADER_SCHEMA_VERSION, Topics.SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<Void> ack = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(values.size());
        try {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(Topics.TABLE_ROWS_RAW.name(), null, key, value, headers),
                        (metadata, error) -> {
                            if (error != null) {
                                ack.completeExceptionally(error);
                            } else if (remaining.decrementAndGet() == 0) {
                                ack.complete(null);
                            }
                        });
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
}
