package io.edgesync.processor.topology;

import io.edgesync.processor.ProcessorConfig;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The processor's whole topology: {@code telemetry.raw} deduplicated into {@code telemetry.clean}. */
public final class TelemetryTopology {
    public static final String WINNERS_STORE = "telemetry-winners";

    private TelemetryTopology() {
    }

    public static void build(StreamsBuilder builder, ProcessorConfig config) {
        StoreBuilder<KeyValueStore<String, String>> winners = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(WINNERS_STORE), Serdes.String(), Serdes.String());
        builder.addStateStore(winners);
        builder.stream(Topics.TELEMETRY_RAW.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(DedupeProcessor::new, WINNERS_STORE)
                .to(Topics.TELEMETRY_CLEAN.name(),
                        Produced.with(Topics.TELEMETRY_CLEAN.keySerde(), Topics.TELEMETRY_CLEAN.valueSerde()));
    }

    /** Used by tests and the service to decode the raw topic the same way. */
    static TelemetryRecord decode(byte[] value) {
        return Topics.TELEMETRY_RAW.valueSerde().deserializer().deserialize(Topics.TELEMETRY_RAW.name(), value);
    }
}
