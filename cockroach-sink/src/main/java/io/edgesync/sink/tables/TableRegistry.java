package io.edgesync.sink.tables;

import com.fasterxml.jackson.core.type.TypeReference;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.tables.Column;
import io.edgesync.shared.tables.TableDefinition;
import io.edgesync.sink.store.Sql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of synced tables: the rows of {@code sync_tables}, read from the database and
 * published (key: table name) to the compacted topic {@code sync.table-registry}, which the
 * gateways follow to accept or 404 a table. A table is registered by inserting its row (the
 * built-ins by migration V70); {@link #refresh()} runs at start and periodically.
 */
public final class TableRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(TableRegistry.class);
    private static final String SELECT = Sql.load("/io/edgesync/sink/tables/select-sync-tables.sql");
    private static final TypeReference<List<Column>> COLUMNS = new TypeReference<>() {
    };

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Map<String, TableDefinition> tables = new ConcurrentHashMap<>();

    public TableRegistry(DataSource dataSource, Producer<String, byte[]> producer) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.producer = Objects.requireNonNull(producer);
    }

    public Optional<TableDefinition> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** Reads sync_tables; publishes every definition that is new or changed (and waits for the broker). */
    public synchronized void refresh() throws SQLException {
        for (TableDefinition d : read()) {
            if (d.equals(tables.get(d.name()))) {
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(Topics.SYNC_TABLE_REGISTRY.name(), null, d.name(), Json.toBytes(d),
                        Topics.jsonHeaders())).get();
            } catch (ExecutionException e) {
                throw new org.apache.kafka.common.KafkaException("cannot publish the table registry", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            tables.put(d.name(), d);
            LOG.info("event=sync_table_registered table={} key={} columns={}", d.name(), d.keyColumn(),
                    d.columns().size());
        }
    }

    private List<TableDefinition> read() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT);
             ResultSet rs = ps.executeQuery()) {
            List<TableDefinition> out = new java.util.ArrayList<>();
            while (rs.next()) {
                String name = rs.getString(1);
                try {
                    out.add(new TableDefinition(name, rs.getString(2), rs.getString(3),
                            Json.mapper().readValue(rs.getString(4), COLUMNS)));
                } catch (IOException | IllegalArgumentException e) {
                    LOG.warn("event=sync_table_invalid table={} error=\"{}\"", name, e.getMessage());
                }
            }
            return out;
        }
    }
}
