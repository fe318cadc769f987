package io.edgesync.sink;

import static io.edgesync.sink.Fixtures.T0;
import static io.edgesync.sink.Fixtures.count;
import static io.edgesync.sink.Fixtures.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.retention.Dialect;
import io.edgesync.sink.retention.Retention;
import io.edgesync.sink.store.BatchWriter;
import io.edgesync.sink.store.SinkRow;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention on PostgreSQL: expired rows deleted in batches, by reading time, on the sink's schedule. */
class RetentionIT {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final Clock DAY_100 = Clock.fixed(Instant.ofEpochMilli(T0 + 100 * DAY), ZoneOffset.UTC);

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @BeforeEach
    void rowsOldAndNew() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM telemetry_data");
            st.executeUpdate("DELETE FROM conflict_log");
        }
        List<SinkRow> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rows.add(new SinkRow.Telemetry(reading("ret-" + (i % 3), "old" + i, 1, T0 + i * DAY / 10, i), null));
        }
        for (int i = 0; i < 5; i++) {
            rows.add(new SinkRow.Telemetry(reading("ret-" + i, "new" + i, 1, T0 + 50 * DAY, i), null));
        }
        TelemetryRecord w = reading("ret-0", "old0", 2, T0, 0);
        rows.add(new SinkRow.Conflict(new ConflictRecord("old0", "ret-0", ConflictRecord.STALE_VERSION, w, w, w,
                ConflictRecord.LAST_WRITE_WINS, "version", T0), null));
        rows.add(new SinkRow.Conflict(new ConflictRecord("new0", "ret-0", ConflictRecord.STALE_VERSION, w, w, w,
                ConflictRecord.LAST_WRITE_WINS, "version", T0 + 50 * DAY), null));
        new BatchWriter(new Transactions(PG.dataSource())).write(rows);
    }

    @Test
    void sweepDeletesRowsOlderThanRetentionInBatchesAndKeepsTheRest() throws Exception {
        // GIVEN 25 readings ~100 days old, 5 of 50 days, and a conflict of each age; retention 90 days
        Retention retention = new Retention(PG.dataSource(), Duration.ofDays(90), Duration.ofHours(1), 10, DAY_100);

        // WHEN a sweep runs (10 rows per DELETE)
        long deleted = retention.sweep();

        // THEN the old rows are gone, the recent ones stay
        assertEquals(26, deleted);
        assertEquals(5L, count(PG.dataSource(), "SELECT count(*) FROM telemetry_data"));
        assertEquals(0L, count(PG.dataSource(), "SELECT count(*) FROM telemetry_data WHERE id LIKE 'old%'"));
        assertEquals(1L, count(PG.dataSource(), "SELECT count(*) FROM conflict_log"));
        assertEquals(0L, retention.sweep());
    }

    @Test
    void sinkOnPostgresqlSweepsOnItsSchedule() throws Exception {
        // WHEN a sink starts on PostgreSQL with a 1 s retention interval
        try (CockroachSink sink = CockroachSink.start(Fixtures.config(KAFKA.bootstrapServers(), PG.jdbcUrl(),
                "retention", Map.of("sink.retention-interval", "1s")), DAY_100)) {
            assertEquals(Dialect.POSTGRESQL, sink.dialect());

            // THEN the expired rows disappear without anyone asking
            Await.equalTo(Duration.ofSeconds(60), () -> count(PG.dataSource(), "SELECT count(*) FROM telemetry_data"),
                    5L, "rows after the scheduled sweep");
        }
    }
}
