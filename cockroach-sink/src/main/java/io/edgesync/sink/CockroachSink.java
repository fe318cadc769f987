package io.edgesync.sink;

import com.zaxxer.hikari.HikariDataSource;
import io.edgesync.shared.db.Database;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.store.TelemetryWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink service: consumes {@code telemetry.clean} (read_committed) and commits it to the
 * database in batches; Kafka offsets are committed only after the database commit.
 */
public final class CockroachSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CockroachSink.class);
    private static final Duration DB_RETRY = Duration.ofSeconds(1);

    private final SinkConfig config;
    private final HikariDataSource dataSource;
    private final TelemetryWriter writer;
    private final KafkaConsumer<String, TelemetryRecord> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong rowsCommitted = new AtomicLong();
    private final Thread thread;

    private CockroachSink(SinkConfig config, HikariDataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
        this.writer = new TelemetryWriter(new Transactions(dataSource));
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchRows()),
                new StringDeserializer(), Topics.TELEMETRY_CLEAN.valueSerde().deserializer());
        this.thread = new Thread(this::run, "cockroach-sink");
    }

    public static CockroachSink start(SinkConfig config) {
        HikariDataSource dataSource = Database.pool(config.jdbcUrl(), config.poolSize(), "cockroach-sink");
        Database.migrate(dataSource);
        CockroachSink sink = new CockroachSink(config, dataSource);
        sink.consumer.subscribe(List.of(Topics.TELEMETRY_CLEAN.name()));
        sink.thread.start();
        LOG.info("event=sink_started group_id={}", config.groupId());
        return sink;
    }

    /** Rows committed to the database since start (after reduction inside batches). */
    public long rowsCommitted() {
        return rowsCommitted.get();
    }

    private void run() {
        List<TelemetryRecord> batch = new ArrayList<>(config.batchRows());
        long batchStarted = 0;
        try {
            while (running.get()) {
                ConsumerRecords<String, TelemetryRecord> records = consumer.poll(config.batchLinger());
                for (ConsumerRecord<String, TelemetryRecord> r : records) {
                    if (r.value() != null) {
                        if (batch.isEmpty()) {
                            batchStarted = System.nanoTime();
                        }
                        batch.add(r.value());
                    }
                }
                boolean full = batch.size() >= config.batchRows();
                boolean lingered = !batch.isEmpty()
                        && System.nanoTime() - batchStarted >= config.batchLinger().toNanos();
                if (full || lingered || (batch.isEmpty() && !records.isEmpty())) {
                    flush(batch);
                    batch.clear();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void flush(List<TelemetryRecord> batch) {
        while (running.get()) {
            try {
                writer.write(TelemetryWriter.reduce(batch));
                consumer.commitSync();
                rowsCommitted.addAndGet(batch.size());
                return;
            } catch (SQLException e) {
                LOG.warn("event=sink_write_failed rows={} sqlstate={} reason=\"{}\"", batch.size(), e.getSQLState(),
                        e.getMessage());
                sleep(DB_RETRY);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dataSource.close();
        LOG.info("event=sink_stopped");
    }
}
