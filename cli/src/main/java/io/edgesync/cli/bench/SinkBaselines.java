package io.edgesync.cli.bench;

import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.store.TelemetryWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * What the sink is measured against, on the same rows and the same schema: a plain COPY, plain
 * batched upserts (the guarded upsert as a rewritten pgjdbc batch), the sink's own unnest upsert without
 * Kafka, and COPY into a staging table then one merging INSERT ... SELECT ... ON CONFLICT per batch.
 */
final class SinkBaselines {
    private static final String COLUMNS =
            "device_id, id, sensor_id, \"timestamp\", data_type, value, unit, metadata, version, payload_hash, received_at";
    private static final String STAGING = "CREATE TEMP TABLE IF NOT EXISTS telemetry_staging "
            + "(LIKE telemetry_data INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
    private static final String MERGE = "INSERT INTO telemetry_data (" + COLUMNS + ", synced_at) SELECT " + COLUMNS
            + ", now() FROM telemetry_staging ON CONFLICT (device_id, id) DO UPDATE SET sensor_id = excluded.sensor_id, "
            + "\"timestamp\" = excluded.\"timestamp\", data_type = excluded.data_type, value = excluded.value, "
            + "unit = excluded.unit, metadata = excluded.metadata, version = excluded.version, "
            + "payload_hash = excluded.payload_hash, received_at = excluded.received_at, synced_at = excluded.synced_at "
            + "WHERE (telemetry_data.version, telemetry_data.\"timestamp\", telemetry_data.payload_hash) "
            + "< (excluded.version, excluded.\"timestamp\", excluded.payload_hash)";

    private SinkBaselines() {
    }

    /** One COPY of every row, one transaction. */
    static void plainCopy(DataSource ds, List<TelemetryRecord> records) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            copy(c, "telemetry_data", records);
            c.commit();
        }
    }

    /** The guarded upsert as a pgjdbc batch, {@code batch} rows per transaction, reWriteBatchedInserts. */
    static void batchedUpsert(DataSource ds, List<TelemetryRecord> records, int batch) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < records.size(); i += batch) {
                TelemetryWriter.writeBatched(c, TelemetryWriter.reduce(records.subList(i, Math.min(i + batch,
                        records.size()))));
                c.commit();
            }
        }
    }

    /** The sink's statement (one unnest upsert per batch), without Kafka. */
    static void unnestUpsert(DataSource ds, List<TelemetryRecord> records, int batch) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < records.size(); i += batch) {
                TelemetryWriter.write(c, TelemetryWriter.reduce(records.subList(i, Math.min(i + batch,
                        records.size()))));
                c.commit();
            }
        }
    }

    /** COPY each batch into a temporary staging table, then merge it with the same guard. */
    static void copyThenMerge(DataSource ds, List<TelemetryRecord> records, int batch) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute(STAGING);
            c.commit();
            for (int i = 0; i < records.size(); i += batch) {
                copy(c, "telemetry_staging", TelemetryWriter.reduce(records.subList(i, Math.min(i + batch,
                        records.size()))));
                st.executeUpdate(MERGE);
                c.commit();
            }
        }
    }

    private static void copy(Connection c, String table, List<TelemetryRecord> records) throws SQLException {
        StringBuilder csv = new StringBuilder(records.size() * 200);
        for (TelemetryRecord r : records) {
            csv.append(quote(r.deviceId())).append(',').append(quote(r.id())).append(',')
                    .append(quote(r.sensorId())).append(',').append(Instant.ofEpochMilli(r.timestamp())).append(',')
                    .append(quote(r.dataType())).append(',').append(r.value()).append(',')
                    .append(r.unit() == null ? "" : quote(r.unit())).append(',')
                    .append(r.metadata() == null ? "" : quote(r.metadata().toString())).append(',')
                    .append(r.version()).append(',').append(RecordOrdering.payloadHash(r)).append(',')
                    .append(r.receivedAt() == null ? "" : Instant.ofEpochMilli(r.receivedAt()).toString()).append('\n');
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + COLUMNS
                    + ") FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
