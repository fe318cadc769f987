package io.edgesync.sink.tables;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.tables.RowValidator;
import io.edgesync.shared.tables.TableDefinition;
import io.edgesync.shared.tables.TableRow;
import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.dlq.DeadLetters.Letter;
import io.edgesync.sink.dlq.DeadLetters.Reason;
import io.edgesync.sink.retry.Backoff;
import io.edgesync.sink.retry.DbFailure;
import io.edgesync.sink.store.Origin;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's table-sync consumer (its own group, {@code <sink.group-id>-tables}): reads
 * {@code table-rows.clean} read_committed, upserts each poll's rows per table in one transaction
 * ({@link TableUpsert}), dead-letters rows of unregistered tables ({@code unknown_table}), of the
 * wrong shape ({@code invalid_record}, {@code undecodable}) or refused by the database
 * ({@code db_rejected}), and commits offsets only after the database commit. While the database is
 * away it rewinds and retries with backoff, staying in its group.
 */
public final class TableRowsSink implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TableRowsSink.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REGISTRY_REFRESH = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final Transactions transactions;
    private final TableRegistry registry;
    private final DeadLetters deadLetters;
    private final Backoff backoff;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong rowsWritten = new AtomicLong();
    private final Map<String, TableUpsert> upserts = new HashMap<>();
    private long refreshedAt = System.nanoTime();

    public TableRowsSink(Consumer<byte[], byte[]> consumer, Transactions transactions, TableRegistry registry,
                         DeadLetters deadLetters, Backoff backoff) {
        this.consumer = Objects.requireNonNull(consumer);
        this.transactions = Objects.requireNonNull(transactions);
        this.registry = Objects.requireNonNull(registry);
        this.deadLetters = Objects.requireNonNull(deadLetters);
        this.backoff = Objects.requireNonNull(backoff);
    }

    /** Table rows committed to the database (each applied or superseded row once) since start. */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    @Override
    public void run() {
        int failures = 0;
        try {
            consumer.subscribe(List.of(io.edgesync.shared.kafka.Topics.TABLE_ROWS_CLEAN.name()));
            while (running.get()) {
                refreshRegistryIfDue();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    write(records);
                    consumer.commitSync(nextOffsets(records));
                    failures = 0;
                } catch (SQLException | KafkaException e) {
                    if (e instanceof WakeupException w) {
                        throw w;
                    }
                    failures++;
                    Duration wait = backoff.delay(failures);
                    LOG.warn("event=table_rows_write_failed rows={} attempt={} wait_ms={} error={}", records.count(),
                            failures, wait.toMillis(), e instanceof SQLException s ? DbFailure.sqlState(s)
                                    : e.getClass().getSimpleName());
                    rewind(records);
                    Thread.sleep(wait.toMillis());
                }
            }
        } catch (WakeupException e) {
            // stop() asked us to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    private void refreshRegistryIfDue() {
        if (System.nanoTime() - refreshedAt < REGISTRY_REFRESH.toNanos()) {
            return;
        }
        refreshedAt = System.nanoTime();
        try {
            registry.refresh();
        } catch (SQLException | KafkaException e) {
            LOG.warn("event=table_registry_refresh_failed error={}", e.getClass().getSimpleName());
        }
    }

    private void write(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        List<Letter> letters = new ArrayList<>();
        Map<String, Map<String, TableRow>> byTable = new LinkedHashMap<>();
        Map<TableRow, Origin> origins = new HashMap<>();
        boolean refreshed = false;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Origin origin = new Origin(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.headers().toArray());
            TableRow row;
            try {
                row = Json.mapper().readValue(r.value(), TableRow.class);
            } catch (java.io.IOException | RuntimeException e) {
                letters.add(new Letter(origin, Reason.UNDECODABLE, null, "not a table row"));
                continue;
            }
            if (row.table() == null || row.hostId() == null || row.values() == null) {
                letters.add(new Letter(origin, Reason.INVALID_RECORD, null, "table, hostId and values are required"));
                continue;
            }
            TableDefinition table = registry.table(row.table()).orElse(null);
            if (table == null && !refreshed) {
                refreshed = true;
                registry.refresh();
                table = registry.table(row.table()).orElse(null);
            }
            if (table == null) {
                letters.add(new Letter(origin, Reason.UNKNOWN_TABLE, null, "table " + row.table() + " is not registered"));
                continue;
            }
            ObjectNode wrapped = JsonNodeFactory.instance.objectNode().put("version", row.version());
            wrapped.set("values", row.values());
            RowValidator.Result checked = RowValidator.validate(0, wrapped, table, row.version());
            if (!checked.ok() || !checked.key().equals(row.key())) {
                letters.add(new Letter(origin, Reason.INVALID_RECORD, null,
                        checked.ok() ? "key does not match the key column" : checked.rejection().message()));
                continue;
            }
            TableRow clean = new TableRow(row.table(), row.hostId(), row.key(), row.version(), row.batchId(),
                    row.receivedAt(), checked.values());
            origins.put(clean, origin);
            byTable.computeIfAbsent(table.name(), t -> new LinkedHashMap<>())
                    .merge(clean.identity(), clean, (a, b) -> b.version() >= a.version() ? b : a);
        }
        int written;
        try {
            written = transactions.inTransaction(c -> {
                int n = 0;
                for (Map.Entry<String, Map<String, TableRow>> e : byTable.entrySet()) {
                    List<TableRow> rows = new ArrayList<>(e.getValue().values());
                    upsert(e.getKey()).write(c, rows);
                    n += rows.size();
                }
                return n;
            });
        } catch (SQLException e) {
            if (DbFailure.of(e) != DbFailure.REJECTED_ROW) {
                throw e;
            }
            written = writeOneByOne(byTable, origins, letters);
        }
        if (!letters.isEmpty()) {
            deadLetters.send(letters);
            LOG.warn("event=table_rows_dead_lettered rows={}", letters.size());
        }
        rowsWritten.addAndGet(written);
    }

    /** A row the database refused is somewhere in the batch: each row in its own transaction. */
    private int writeOneByOne(Map<String, Map<String, TableRow>> byTable, Map<TableRow, Origin> origins,
                              List<Letter> letters) throws SQLException {
        int n = 0;
        for (Map.Entry<String, Map<String, TableRow>> e : byTable.entrySet()) {
            TableUpsert upsert = upsert(e.getKey());
            for (TableRow row : e.getValue().values()) {
                try {
                    transactions.inTransaction(c -> {
                        upsert.write(c, List.of(row));
                        return null;
                    });
                    n++;
                } catch (SQLException ex) {
                    if (DbFailure.of(ex) != DbFailure.REJECTED_ROW) {
                        throw ex;
                    }
                    letters.add(new Letter(origins.get(row), Reason.DB_REJECTED, DbFailure.sqlState(ex),
                            ex.getMessage()));
                }
            }
        }
        return n;
    }

    private TableUpsert upsert(String table) {
        TableDefinition definition = registry.table(table).orElseThrow();
        TableUpsert u = upserts.get(table);
        if (u == null || !u.definition().equals(definition)) {
            u = new TableUpsert(definition);
            upserts.put(table, u);
        }
        return u;
    }

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition p : records.partitions()) {
            if (consumer.assignment().contains(p)) {
                consumer.seek(p, records.records(p).get(0).offset());
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition p : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = records.records(p);
            offsets.put(p, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }
}
