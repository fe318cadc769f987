package io.edgesync.processor;

import io.edgesync.processor.tables.TableRowsTopology;
import io.edgesync.processor.errors.DeadLetteringProductionHandler;
import io.edgesync.processor.errors.ThreadReplacements;
import io.edgesync.processor.topology.TelemetryTopology;
import io.edgesync.shared.http.HttpServers;
import io.edgesync.shared.kafka.Topics;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.edgesync.processor.topology.RecordOutcomes;
import io.edgesync.shared.metrics.ServiceMeters;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream-processor service: runs {@link TelemetryTopology} with exactly-once processing, and serves
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} unless {@code processor.port} is -1.
 * Live while Kafka Streams is created, running or rebalancing; ready only while it is RUNNING (during a
 * rebalance or state restoration it is live but not ready).
 */
public final class StreamProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessor.class);

    static final int PRODUCER_BATCH_BYTES = 128 * 1024;
    /** 1 while Kafka Streams is RUNNING, else 0. */
    public static final String RUNNING_GAUGE = "edgesync.processor.running";

    private final KafkaStreams streams;
    private final PrometheusMeterRegistry metrics;
    private final KafkaStreamsMetrics streamsMetrics;
    private final Javalin app;

    private StreamProcessor(KafkaStreams streams, PrometheusMeterRegistry metrics, KafkaStreamsMetrics streamsMetrics,
                            Javalin app) {
        this.streams = streams;
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
        this.app = app;
    }

    public static StreamProcessor start(ProcessorConfig config) {
        PrometheusMeterRegistry metrics = ServiceMeters.registry();
        StreamsBuilder builder = new StreamsBuilder();
        RecordOutcomes outcomes = new RecordOutcomes(metrics);
        TelemetryTopology.build(builder, config, outcomes);
        TableRowsTopology.build(builder, config);
        Properties props = properties(config);
        props.put(DeadLetteringProductionHandler.OUTCOMES_CONFIG, outcomes);
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.setUncaughtExceptionHandler(new ThreadReplacements(3, Duration.ofMinutes(10), Clock.systemUTC()));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams, Tags.of("stage", "processor"));
        streamsMetrics.bindTo(metrics);
        Gauge.builder(RUNNING_GAUGE, streams, s -> s.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while Kafka Streams is RUNNING, else 0").register(metrics);
        Javalin app = null;
        try {
            if (config.port() >= 0) {
                app = HttpServers.create("stream-processor", metrics, () -> live(streams.state()),
                        () -> streams.state() == KafkaStreams.State.RUNNING, 64 * 1024);
                app.start(config.host(), config.port());
            }
            streams.start();
        } catch (RuntimeException e) {
            if (app != null) {
                app.stop();
            }
            streamsMetrics.close();
            streams.close(Duration.ofSeconds(30));
            metrics.close();
            throw e;
        }
        StreamProcessor processor = new StreamProcessor(streams, metrics, streamsMetrics, app);
        LOG.info("event=processor_started application_id={} port={}", config.applicationId(), processor.port());
        return processor;
    }

    /** Created, running or rebalancing: not failed, not shutting down. */
    static boolean live(KafkaStreams.State state) {
        return state == KafkaStreams.State.CREATED || state.isRunningOrRebalancing();
    }

    /** What {@code /health/live} answers: Kafka Streams is created, running or rebalancing. */
    public boolean live() {
        return live(streams.state());
    }

    /** What {@code /health/ready} answers: Kafka Streams is RUNNING. */
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** The HTTP port, or -1 when the server is off ({@code processor.port=-1}). */
    public int port() {
        return app == null ? -1 : app.port();
    }

    /** Base URL of the health and metrics endpoints; fails when the server is off. */
    public String url() {
        if (app == null) {
            throw new IllegalStateException("the processor HTTP server is off (processor.port=-1)");
        }
        return "http://127.0.0.1:" + port();
    }

    public static Properties properties(ProcessorConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        short replication = config.kafka().replicationFactor();
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replication > 1 ? (int) replication : -1);
        if (replication > 1) {
            p.put(StreamsConfig.topicPrefix(org.apache.kafka.common.config.TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                    Integer.toString(config.kafka().minInsyncReplicas()));
        }
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        long sessionMs = config.sessionTimeout().toMillis();
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionMs);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) Math.min(3000, Math.max(100, sessionMs / 3)));
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
        // fewer, larger produce requests for telemetry.clean and the changelogs (default 16 KiB)
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        // an unexpected error in processing sends the record to the DLQ (with __streams.errors.* headers)
        // instead of stopping the application; expected bad input is dead-lettered by the topology itself
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        // an output the producer refuses for good (too large, say) becomes a small DLQ record; the thread goes on
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProductionHandler.class.getName());
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.TELEMETRY_DLQ.name());
        Map<String, Object> own = new java.util.HashMap<>();
        p.forEach((k, v) -> own.put((String) k, v));
        return config.kafka().streams(own);
    }

    /** Blocks until the topology is running (partitions assigned, state restored), or the timeout passes. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state().hasCompletedShutdown()
                    || streams.state() == KafkaStreams.State.ERROR) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        // leave the group so a restarted instance is assigned at once instead of after the session timeout
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streamsMetrics.close();
        if (app != null) {
            app.stop();
        }
        metrics.close();
        LOG.info("event=processor_stopped");
    }
}
