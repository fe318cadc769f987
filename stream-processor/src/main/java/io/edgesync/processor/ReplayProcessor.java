package io.edgesync.processor;

import io.edgesync.processor.errors.DeadLetteringProductionHandler;
import io.edgesync.processor.topology.RecordOutcomes;
import io.edgesync.processor.topology.TelemetryTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processor's telemetry decisions as an isolated Kafka Streams application for a replay: its own
 * application id (so its own consumer group, state stores and changelog topics) and state directory,
 * a source window and output topics of its own ({@link TelemetryTopology.Wiring}). It shares nothing
 * with the live processor but the input topic, which it only reads. No HTTP server, no table rows.
 */
public final class ReplayProcessor implements AutoCloseable {
    private final KafkaStreams streams;

    private ReplayProcessor(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * Starts it; the caller has set the application's committed offsets to where the replay begins
     * (a new application would otherwise start at the earliest offsets).
     */
    public static ReplayProcessor start(ProcessorConfig config, TelemetryTopology.Wiring wiring) {
        StreamsBuilder builder = new StreamsBuilder();
        RecordOutcomes outcomes = new RecordOutcomes(new SimpleMeterRegistry());
        TelemetryTopology.build(builder, config, outcomes, wiring);
        Properties props = StreamProcessor.properties(config);
        props.put(DeadLetteringProductionHandler.OUTCOMES_CONFIG, outcomes);
        props.put(DeadLetteringProductionHandler.DLQ_TOPIC_CONFIG, wiring.outputs().dlq());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, wiring.outputs().dlq());
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.start();
        return new ReplayProcessor(streams);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Stops, leaving the group, and deletes its local state (the replay's state is not kept). */
    @Override
    public void close() {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streams.cleanUp();
    }
}
