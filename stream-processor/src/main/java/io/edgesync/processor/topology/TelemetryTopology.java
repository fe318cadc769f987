package io.edgesync.processor.topology;

import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.state.DeviceTotalsSerde;
import io.edgesync.processor.state.IdentityStateSerde;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import java.util.function.UnaryOperator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor's whole topology: {@code telemetry.raw} through {@link DedupeProcessor} into
 * {@code telemetry.clean}, {@code telemetry.conflicts}, {@code telemetry.dlq} and
 * {@code device.sync-stats}. Topics and their schemas: docs/topics.md.
 */
public final class TelemetryTopology {
    /** Per (deviceId, id): the current winner and what was decided before. */
    public static final String IDENTITY_STORE = "telemetry-identities";
    /** Per deviceId: running totals. */
    public static final String STATS_STORE = "device-totals";

    private TelemetryTopology() {
    }

    public static void build(StreamsBuilder builder, ProcessorConfig config) {
        build(builder, config, new RecordOutcomes(new SimpleMeterRegistry()));
    }

    /** As above, counting every decision in {@code outcomes}. */
    public static void build(StreamsBuilder builder, ProcessorConfig config, RecordOutcomes outcomes) {
        build(builder, config, outcomes, Wiring.LIVE);
    }

    /**
     * The live topology ({@link Wiring#LIVE}) or a replay's: its own source window, the same decisions
     * under an optional changed rule, and its own output topics.
     *
     * @param rule applied to every readable record before it is decided (identity live); a replay uses it
     *             to check a changed rule against history before the code ships
     */
    public record Wiring(String source, RecordFilter filter, UnaryOperator<TelemetryRecord> rule, OutputTopics outputs) {
        public static final Wiring LIVE = new Wiring(Topics.TELEMETRY_RAW.name(), RecordFilter.ALL,
                UnaryOperator.identity(), OutputTopics.LIVE);
    }

    public static void build(StreamsBuilder builder, ProcessorConfig config, RecordOutcomes outcomes, Wiring wiring) {
        // identities are mostly written once: a cache in front would only copy them (measured: more CPU
        // per record); per-device totals change with every record and are cached, so each device's
        // totals reach RocksDB and the changelog once per commit
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IDENTITY_STORE),
                Serdes.String(), new IdentityStateSerde()).withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS_STORE),
                Serdes.String(), new DeviceTotalsSerde()).withCachingEnabled());

        KStream<byte[], byte[]> input = builder.stream(wiring.source(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("telemetry-raw"));
        if (wiring.filter() != RecordFilter.ALL) {
            input = input.process(() -> new FilterProcessor(wiring.filter()), Named.as("window"));
        }
        OutputTopics outputs = wiring.outputs();
        KStream<byte[], Outcome> decided = input.process(() -> new DedupeProcessor(config, outcomes, wiring.rule()),
                Named.as("dedupe"), IDENTITY_STORE, STATS_STORE);
        if (outputs.stats() == null) {
            decided = decided.filter((key, outcome) -> outputs.of(outcome) != null, Named.as("without-stats"));
        }
        // each outcome names its topic: clean, conflicts, dlq or device.sync-stats (all pre-created)
        decided.to((key, outcome, context) -> outputs.of(outcome),
                Produced.with(Serdes.ByteArray(), new Outcome.WireSerde()).withName("outcomes"));
    }
}
