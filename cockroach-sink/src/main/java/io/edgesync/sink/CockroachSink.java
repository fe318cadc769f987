package io.edgesync.sink;

import com.zaxxer.hikari.HikariDataSource;
import io.edgesync.shared.db.Database;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.http.HttpServers;
import io.edgesync.sink.consume.SinkCounters;
import io.edgesync.sink.consume.SinkLoop;
import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.ops.SinkMetrics;
import io.edgesync.sink.ops.SyncLatency;
import io.edgesync.sink.retention.Dialect;
import io.edgesync.sink.retention.Retention;
import io.edgesync.sink.retry.Backoff;
import io.edgesync.sink.store.BatchWriter;
import io.edgesync.sink.store.BisectingWriter;
import io.edgesync.sink.tables.TableSync;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.edgesync.shared.metrics.ServiceMeters;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink service: consumes {@code telemetry.clean}, {@code telemetry.conflicts} and
 * {@code device.sync-stats} (read_committed) and commits them to CockroachDB or PostgreSQL in
 * batches; Kafka offsets are committed only after the database commit. See docs/database.md.
 * Serves {@code /health/live} (the consumer thread is alive), {@code /health/ready} (it is alive, not
 * paused because of the database, not closing) and {@code /metrics} unless {@code sink.port} is -1.
 */
public final class CockroachSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CockroachSink.class);
    private static final Duration TX_INITIAL_BACKOFF = Duration.ofMillis(10);
    private static final Duration RECONNECT_INITIAL_BACKOFF = Duration.ofMillis(100);

    private final HikariDataSource dataSource;
    private final DeadLetters deadLetters;
    private final SinkLoop loop;
    private final SinkCounters counters = new SinkCounters();
    private final Thread thread;
    private final Dialect dialect;
    private final ScheduledExecutorService retentionScheduler;
    private final PrometheusMeterRegistry metrics;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final KafkaClientMetrics consumerMetrics;
    private final KafkaClientMetrics dlqMetrics;
    private final TableSync tableSync;
    private volatile Javalin app;

    private CockroachSink(SinkConfig config, HikariDataSource dataSource, Dialect dialect, Retention retention,
                          boolean sweep, Clock clock, PrometheusMeterRegistry metrics) {
        this.metrics = metrics;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.deadLetters = new DeadLetters(config.kafka());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config.kafka().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchRows(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis())),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumerMetrics = new KafkaClientMetrics(consumer, Tags.of("stage", "sink"));
        this.dlqMetrics = deadLetters.meters();
        BisectingWriter writer = new BisectingWriter(new BatchWriter(
                new Transactions(dataSource, config.txMaxAttempts(), TX_INITIAL_BACKOFF, metrics)), clock);
        this.loop = new SinkLoop(consumer, writer, deadLetters, config.batchRows(), config.batchLinger(),
                new Backoff(RECONNECT_INITIAL_BACKOFF, config.reconnectBackoffMax()), counters,
                new SyncLatency(metrics, clock)::committed);
        this.thread = new Thread(loop, "cockroach-sink");
        this.tableSync = TableSync.start(config, dataSource, deadLetters,
                new Backoff(RECONNECT_INITIAL_BACKOFF, config.reconnectBackoffMax()));
        this.retentionScheduler = sweep ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cockroach-sink-retention");
            t.setDaemon(true);
            return t;
        }) : null;
        if (retentionScheduler != null) {
            long every = retention.interval().toMillis();
            retentionScheduler.scheduleWithFixedDelay(() -> {
                try {
                    retention.sweep();
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("event=retention_sweep_failed error={}", e.getClass().getSimpleName());
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    public static CockroachSink start(SinkConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Migrates the schema, detects the database, sets up retention and starts consuming. */
    public static CockroachSink start(SinkConfig config, Clock clock) {
        PrometheusMeterRegistry metrics = ServiceMeters.registry();
        HikariDataSource dataSource = Database.pool(config.jdbcUrl(), config.poolSize(), "cockroach-sink",
                config.dbTimeouts(), config.dbTls(), metrics);
        try {
            Database.migrate(dataSource);
            Dialect dialect;
            try (Connection c = dataSource.getConnection()) {
                dialect = Dialect.detect(c);
            }
            Retention retention = new Retention(dataSource, config.retention(), config.retentionInterval(),
                    config.retentionBatchRows(), clock);
            boolean sweep = retention.install(dialect);
            CockroachSink sink = new CockroachSink(config, dataSource, dialect, retention, sweep, clock, metrics);
            SinkMetrics.bind(sink.counters, sink.metrics);
            sink.consumerMetrics.bindTo(sink.metrics);
            sink.dlqMetrics.bindTo(sink.metrics);
            sink.thread.start();
            sink.startHttp(config);
            LOG.info("event=sink_started group_id={} dialect={} batch_rows={} linger_ms={} port={}",
                    config.groupId(), dialect, config.batchRows(), config.batchLinger().toMillis(), sink.port());
            return sink;
        } catch (SQLException | RuntimeException e) {
            dataSource.close();
            metrics.close();
            throw new IllegalStateException("cockroach-sink cannot start: " + e.getMessage(), e);
        }
    }

    private void startHttp(SinkConfig config) {
        if (config.port() < 0) {
            return;
        }
        Javalin server = HttpServers.create("cockroach-sink", metrics, this::live, this::ready, 64 * 1024);
        try {
            server.start(config.host(), config.port());
        } catch (RuntimeException e) {
            server.stop();
            close();
            throw e;
        }
        app = server;
    }

    /** The consumer thread is alive. */
    public boolean live() {
        return thread.isAlive();
    }

    /** The consumer thread is alive, not paused because of the database, and the sink is not closing. */
    public boolean ready() {
        return !closing.get() && thread.isAlive() && !counters.paused();
    }

    /** The HTTP port, or -1 when the server is off ({@code sink.port=-1}). */
    public int port() {
        return app == null ? -1 : app.port();
    }

    /** Base URL of the health and metrics endpoints; fails when the server is off. */
    public String url() {
        if (app == null) {
            throw new IllegalStateException("the sink HTTP server is off (sink.port=-1)");
        }
        return "http://127.0.0.1:" + port();
    }

    public SinkCounters counters() {
        return counters;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Table rows committed (database, then offsets) since start. */
    public long tableRowsWritten() {
        return tableSync.rowsWritten();
    }

    /** Records committed (database, then offsets) since start. */
    public long rowsCommitted() {
        return counters.recordsCommitted();
    }

    /** Flushes and commits what is written, then stops; anything unwritten is read again on restart. */
    @Override
    public void close() {
        closing.set(true);
        loop.stop();
        tableSync.close();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (retentionScheduler != null) {
            retentionScheduler.shutdownNow();
        }
        consumerMetrics.close();
        dlqMetrics.close();
        deadLetters.close();
        dataSource.close();
        if (app != null) {
            app.stop();
        }
        metrics.close();
        LOG.info("event=sink_stopped");
    }
}
