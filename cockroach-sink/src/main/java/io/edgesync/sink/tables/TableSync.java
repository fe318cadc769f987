package io.edgesync.sink.tables;

import io.edgesync.shared.db.Transactions;
import io.edgesync.sink.SinkConfig;
import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.retry.Backoff;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sink's table-sync part: publishes the registry, then runs {@link TableRowsSink} on its own thread. */
public final class TableSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableSync.class);

    private final KafkaProducer<String, byte[]> registryProducer;
    private final TableRowsSink sink;
    private final Thread thread;

    private TableSync(KafkaProducer<String, byte[]> registryProducer, TableRowsSink sink) {
        this.registryProducer = registryProducer;
        this.sink = sink;
        this.thread = new Thread(sink, "cockroach-sink-tables");
    }

    public static TableSync start(SinkConfig config, DataSource dataSource, DeadLetters deadLetters, Backoff backoff) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafka().producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "cockroach-sink-table-registry",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000)),
                new StringSerializer(), new ByteArraySerializer());
        TableRegistry registry = new TableRegistry(dataSource, producer);
        try {
            registry.refresh();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("event=table_registry_publish_failed error={} (retried every 30s)", e.getClass().getSimpleName());
        }
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config.kafka().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId() + "-tables",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchRows(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis())),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TableRowsSink sink = new TableRowsSink(consumer, new Transactions(dataSource, config.txMaxAttempts(),
                Duration.ofMillis(10)), registry, deadLetters, backoff);
        TableSync sync = new TableSync(producer, sink);
        sync.thread.start();
        return sync;
    }

    public long rowsWritten() {
        return sink.rowsWritten();
    }

    @Override
    public void close() {
        sink.stop();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registryProducer.close(Duration.ofSeconds(5));
    }
}
