package io.edgesync.processor.tables;

import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.retention.IncrementalPurge;
import io.edgesync.processor.retention.RetentionClock;
import io.edgesync.processor.topology.DeadLetters;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.tables.TableDefinition;
import io.edgesync.shared.tables.TableRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each table row against what was seen of its (host, table, key): the same values again
 * (a resend, whatever its version) is dropped; an older version than the winner is dropped; a
 * first or newer version with other values goes on to {@code table-rows.clean}. Unreadable rows
 * are dead-lettered with the {@code dlq.*} headers.
 */
final class TableRowDedupe implements Processor<byte[], byte[], byte[], TableRowsTopology.Routed> {
    private static final Logger LOG = LoggerFactory.getLogger(TableRowDedupe.class);
    static final String UNREADABLE = "unreadable_table_row";

    private final long retentionMs;
    private final Duration purgeInterval;
    private final int purgeBatch;
    private final RetentionClock clock;
    private ProcessorContext<byte[], TableRowsTopology.Routed> context;
    private KeyValueStore<String, RowState> rows;
    private IncrementalPurge<RowState> purge;

    TableRowDedupe(ProcessorConfig config) {
        this.retentionMs = config.retention().toMillis();
        this.purgeInterval = config.purgeInterval();
        this.purgeBatch = config.purgeBatch();
        this.clock = new RetentionClock(config.maxClockSkew());
    }

    @Override
    public void init(ProcessorContext<byte[], TableRowsTopology.Routed> context) {
        this.context = context;
        this.rows = context.getStateStore(TableRowsTopology.ROW_STORE);
        this.purge = new IncrementalPurge<>(rows, purgeBatch);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purgeExpired);
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        TableRow row;
        try {
            row = in.value() == null ? null : Json.mapper().readValue(in.value(), TableRow.class);
        } catch (IOException | RuntimeException e) {
            row = null;
        }
        if (row == null || row.hostId() == null || row.key() == null || row.values() == null
                || !TableDefinition.isIdentifier(row.table())) {
            deadLetter(in, "value is not a table row with table, hostId, key and values");
            return;
        }
        long hash = RowHash.of(row.values());
        long now = clock.now(context, in.timestamp());
        long touchedAt = clock.touchedAt(context, in.timestamp());
        String identity = row.identity();
        RowState current = rows.get(identity);
        if (current != null && current.expired(now, retentionMs)) {
            current = null;
        }
        if (current != null && (current.valuesHash() == hash || row.version() <= current.version())) {
            if (current.valuesHash() == hash) {
                rows.put(identity, new RowState(current.version(), hash, touchedAt));
            }
            return;
        }
        rows.put(identity, new RowState(row.version(), hash, touchedAt));
        context.forward(new Record<>(in.key(), new TableRowsTopology.Routed(Topics.TABLE_ROWS_CLEAN.name(),
                in.value()), in.timestamp(), in.headers()));
    }

    private void deadLetter(Record<byte[], byte[]> in, String message) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        LOG.warn("event=table_row_dead_lettered partition={} offset={}", source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset());
        Headers headers = new RecordHeaders();
        for (Header h : in.headers()) {
            headers.add(h);
        }
        headers.add(DeadLetters.REASON, utf8(UNREADABLE));
        headers.add(DeadLetters.DETAIL, utf8(message));
        headers.add(DeadLetters.SERVICE, utf8(DeadLetters.THIS_SERVICE));
        if (source != null) {
            headers.add(DeadLetters.SOURCE_TOPIC, utf8(source.topic()));
            headers.add(DeadLetters.PARTITION, utf8(Integer.toString(source.partition())));
            headers.add(DeadLetters.OFFSET, utf8(Long.toString(source.offset())));
        }
        context.forward(new Record<>(in.key(), new TableRowsTopology.Routed(Topics.TELEMETRY_DLQ.name(),
                in.value() == null ? new byte[0] : in.value()), in.timestamp(), headers));
    }

    private void purgeExpired(long wallClock) {
        long now = clock.now(context);
        purge.step(state -> state.expired(now, retentionMs));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
