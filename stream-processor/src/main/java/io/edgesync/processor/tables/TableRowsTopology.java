package io.edgesync.processor.tables;

import io.edgesync.processor.ProcessorConfig;
import io.edgesync.shared.kafka.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The table-sync sub-topology: {@code table-rows.raw} through {@link TableRowDedupe} into
 * {@code table-rows.clean}, unreadable rows into {@code telemetry.dlq}. Independent of the
 * telemetry topology (own source, store and sinks). Topics: docs/topics.md.
 */
public final class TableRowsTopology {
    /** Per (host, table, key): the winning version and its values' hash. */
    public static final String ROW_STORE = "table-row-versions";

    private TableRowsTopology() {
    }

    public static void build(StreamsBuilder builder, ProcessorConfig config) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROW_STORE),
                Serdes.String(), new RowState.WireSerde()).withCachingDisabled());
        builder.stream(Topics.TABLE_ROWS_RAW.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("table-rows-raw"))
                .process(() -> new TableRowDedupe(config),
                        Named.as("table-rows-dedupe"), ROW_STORE)
                .to((key, routed, context) -> routed.topic(),
                        Produced.with(Serdes.ByteArray(), Routed.SERDE).withName("table-rows-out"));
    }

    /** A value bound for a topic. */
    record Routed(String topic, byte[] value) {
        static final Serde<Routed> SERDE = Serdes.serdeFrom((t, r) -> r.value(), (t, bytes) -> {
            throw new UnsupportedOperationException("write only");
        });
    }
}
