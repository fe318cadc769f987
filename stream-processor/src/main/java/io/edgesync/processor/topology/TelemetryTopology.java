package io.edgesync.processor.topology;

import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.state.DeviceTotalsSerde;
import io.edgesync.processor.state.IdentityStateSerde;
import io.edgesync.shared.kafka.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
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
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IDENTITY_STORE),
                Serdes.String(), new IdentityStateSerde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS_STORE),
                Serdes.String(), new DeviceTotalsSerde()).withCachingEnabled());

        KStream<String, Outcome> outcomes = builder
                .stream(Topics.TELEMETRY_RAW.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("telemetry-raw"))
                .process(() -> new DedupeProcessor(config.retention(), config.purgeInterval(),
                        config.statsInterval()), Named.as("dedupe"), IDENTITY_STORE, STATS_STORE);

        outcomes.split(Named.as("route-"))
                .branch((k, v) -> v instanceof Outcome.Clean, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Outcome.Clean) v).json())
                        .to(Topics.TELEMETRY_CLEAN.name(), Produced.with(Serdes.String(), Serdes.ByteArray())),
                        "clean"))
                .branch((k, v) -> v instanceof Outcome.Conflict, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Outcome.Conflict) v).conflict())
                        .to(Topics.TELEMETRY_CONFLICTS.name(), Produced.with(Topics.TELEMETRY_CONFLICTS.keySerde(),
                                Topics.TELEMETRY_CONFLICTS.valueSerde())), "conflicts"))
                .branch((k, v) -> v instanceof Outcome.Stats, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Outcome.Stats) v).stats())
                        .to(Topics.DEVICE_SYNC_STATS.name(), Produced.with(Topics.DEVICE_SYNC_STATS.keySerde(),
                                Topics.DEVICE_SYNC_STATS.valueSerde())), "stats"))
                .defaultBranch(Branched.withConsumer(s -> s
                        .map((k, v) -> KeyValue.pair(((Outcome.DeadLetter) v).key(), ((Outcome.DeadLetter) v).value()))
                        .to(Topics.TELEMETRY_DLQ.name(), Produced.with(Topics.TELEMETRY_DLQ.keySerde(),
                                Topics.TELEMETRY_DLQ.valueSerde())), "dlq"));
    }
}
