package io.edgesync.sink;

import static io.edgesync.sink.Fixtures.T0;
import static io.edgesync.sink.Fixtures.count;
import static io.edgesync.sink.Fixtures.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.store.BatchWriter;
import io.edgesync.sink.store.BisectingWriter;
import io.edgesync.sink.store.Origin;
import io.edgesync.sink.store.SinkRow;
import io.edgesync.testsupport.PostgresExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink's bisection of a batch the database refuses, against a real PostgreSQL, is bounded: a batch of n rows
 * holding k rows an operator's CHECK constraint refuses costs at most 2·k·⌈log2 n⌉ + 1 write transactions (each
 * level of the split tree holds at most k failing halves, each failing half costs its two children), every good row
 * lands and every bad row becomes exactly one dead letter. Transactions are counted where they reach the database:
 * every connection the writer takes from the pool is one attempt.
 */
class BisectionBoundIT {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @BeforeAll
    static void refuseSomeRows() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE telemetry_data ADD CONSTRAINT refuse_bisect CHECK (sensor_id <> 'refused-by-db')");
        }
    }

    @AfterAll
    static void dropConstraint() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE telemetry_data DROP CONSTRAINT refuse_bisect");
        }
    }

    @ParameterizedTest(name = "n={0} k={1}")
    @CsvSource({"1000,0", "1000,1", "1000,3", "1000,10", "1000,32", "257,5", "1,1"})
    void bisectionOfABatchWithBadRowsCostsAtMostTwoKLogNPlusOneWrites(int n, int k) throws Exception {
        // GIVEN n rows of one device, k of them (at random positions) refused by the database
        String device = "bisect-" + n + "-" + k;
        Set<Integer> bad = new HashSet<>();
        Random random = new Random(n * 31L + k);
        while (bad.size() < k) {
            bad.add(random.nextInt(n));
        }
        List<SinkRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TelemetryRecord r = reading(device, "r" + i, 1, T0 + i, i);
            if (bad.contains(i)) {
                r = new TelemetryRecord(r.id(), r.deviceId(), "refused-by-db", r.timestamp(), r.dataType(), r.value(),
                        r.unit(), r.metadata(), r.version(), r.receivedAt(), r.batchId());
            }
            rows.add(new SinkRow.Telemetry(r, new Origin(Topics.TELEMETRY_CLEAN.name(), 0, i, null, null,
                    new Header[0])));
        }
        AtomicInteger transactions = new AtomicInteger();
        DataSource counted = counting(PG.dataSource(), transactions);
        BisectingWriter writer = new BisectingWriter(new BatchWriter(new Transactions(counted, 1, Duration.ZERO)));

        // WHEN the batch is written
        BisectingWriter.Outcome outcome = writer.write(rows);

        // THEN the write transactions stay within the bound (the sync_status mark of the refused device is one more)
        int markRejected = k > 0 ? 1 : 0;
        int writes = transactions.get() - markRejected;
        int bound = 2 * k * ceilLog2(n) + 1;
        System.out.printf("event=bisection_bound n=%d k=%d write_transactions=%d bound=%d%n", n, k, writes, bound);
        assertTrue(writes <= bound, "n=" + n + " k=" + k + ": " + writes + " write transactions, bound " + bound);
        // AND every good row landed, no bad row did
        assertEquals(n - k, count(PG.dataSource(), "SELECT count(*) FROM telemetry_data WHERE device_id = ?", device));
        assertEquals(0L, count(PG.dataSource(),
                "SELECT count(*) FROM telemetry_data WHERE device_id = ? AND sensor_id = 'refused-by-db'", device));
        assertEquals(n - k, outcome.written());
        // AND every bad row is dead-lettered exactly once, as refused by the database
        Map<Long, Long> lettersByOffset = outcome.rejected().stream()
                .collect(Collectors.groupingBy(l -> l.origin().offset(), Collectors.counting()));
        assertEquals(bad.stream().map(Integer::longValue).collect(Collectors.toSet()), lettersByOffset.keySet());
        assertTrue(lettersByOffset.values().stream().allMatch(c -> c == 1), lettersByOffset.toString());
        assertTrue(outcome.rejected().stream().allMatch(l -> l.reason() == DeadLetters.Reason.DB_REJECTED
                && l.sqlState().equals("23514")), outcome.rejected().toString());
    }

    private static int ceilLog2(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /** The pool, counting every connection taken: the writer takes one per transaction. */
    private static DataSource counting(DataSource target, AtomicInteger taken) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        taken.incrementAndGet();
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
