package io.edgesync.sink;

import static io.edgesync.sink.Fixtures.T0;
import static io.edgesync.sink.Fixtures.count;
import static io.edgesync.sink.Fixtures.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import io.edgesync.testsupport.Signals;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stopped for 10 s mid-stream (same port, same data directory), or frozen with SIGSTOP
 * (it keeps its connections and answers nothing): the sink pauses, resumes, loses nothing.
 */
class DatabaseOutageIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String GROUP = "sink-outage";

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.restartable();

    @Test
    void databaseStoppedForTenSecondsMidStreamPausesResumesAndLosesNothing() throws Exception {
        CockroachSink sink = CockroachSink.start(Fixtures.config(KAFKA.bootstrapServers(), PG.jdbcUrl(), GROUP,
                Map.of("sink.batch-rows", "200", "sink.reconnect-backoff-max", "1s")));
        try (KafkaProducer<byte[], byte[]> producer = Fixtures.producer(KAFKA.bootstrapServers());
             var ds = io.edgesync.shared.db.Database.pool(PG.jdbcUrl(), 2, "outage-test")) {
            // GIVEN the sink is writing a stream
            int sent = sendPaced(producer, 0, 1000, Duration.ZERO);
            Await.until(WAIT, () -> count(ds, "SELECT count(*) FROM telemetry_data"), n -> n >= 500, "first rows");

            // WHEN PostgreSQL is stopped for 10 s while records keep arriving
            PG.server().stop();
            long stoppedAt = System.nanoTime();
            sent += sendPaced(producer, sent, 100, Duration.ZERO);
            Await.until(WAIT, () -> sink.counters().paused(), Boolean::booleanValue, "sink paused");
            sent += sendPaced(producer, sent, 900, Duration.ofSeconds(10).minusNanos(System.nanoTime() - stoppedAt));
            assertTrue(sink.counters().paused(), "still paused while the database is down");
            PG.server().start();

            // AND more arrive after it is back
            sent += sendPaced(producer, sent, 1000, Duration.ZERO);
            producer.flush();

            // THEN every record is stored exactly once, the sink resumed, and it never left its group
            final int total = sent;
            Await.equalTo(WAIT, () -> count(ds, "SELECT count(*) FROM telemetry_data WHERE device_id LIKE 'outage-%'"),
                    (long) total, "all rows after the outage");
            Await.until(WAIT, () -> KafkaTopics.caughtUp(KAFKA.bootstrapServers(), GROUP,
                    Topics.TELEMETRY_CLEAN.name()), Boolean::booleanValue, "offsets committed");
            assertTrue(sink.counters().pauses() >= 1, "paused at least once");
            assertTrue(sink.counters().failedAttempts() >= 1, "attempts failed while down");
            assertTrue(!sink.counters().paused(), "resumed");
            assertEquals(1L, sink.counters().assignments(), "kept its partitions through the outage");
            assertEquals(0L, sink.counters().deadLetters());
        } finally {
            sink.close();
        }
    }

    @Test
    void databaseThatStopsAnsweringPausesTheSinkWithinTheSocketTimeoutAndLosesNothing() throws Exception {
        CockroachSink sink = CockroachSink.start(Fixtures.config(KAFKA.bootstrapServers(), PG.jdbcUrl(), GROUP + "-hang",
                Map.of("sink.batch-rows", "200", "sink.reconnect-backoff-max", "1s",
                        "database.statement-timeout", "1s", "database.socket-timeout", "2s")));
        try (KafkaProducer<byte[], byte[]> producer = Fixtures.producer(KAFKA.bootstrapServers())) {
            // GIVEN the sink is writing a stream
            int sent = sendPaced(producer, "hang-", 0, 1000, Duration.ZERO);
            Await.until(WAIT, () -> count(PG.dataSource(), "SELECT count(*) FROM telemetry_data WHERE device_id LIKE "
                    + "'hang-%'"), n -> n >= 500, "first rows");

            // WHEN PostgreSQL stops answering (SIGSTOP: its connections stay open, nothing comes back)
            long pid = PG.server().pid();
            Signals.stopTree(pid);
            long frozenAt = System.nanoTime();
            Duration pausedAfter;
            try {
                sent += sendPaced(producer, "hang-", sent, 500, Duration.ZERO);
                // THEN the sink pauses within a bound of the socket timeout instead of hanging
                Await.until(Duration.ofSeconds(30), () -> sink.counters().paused(), Boolean::booleanValue,
                        "sink paused while the database answers nothing");
                pausedAfter = Duration.ofNanos(System.nanoTime() - frozenAt);
            } finally {
                Signals.continueTree(pid);
            }
            System.out.println("event=database_hang_it paused_after_ms=" + pausedAfter.toMillis());
            assertTrue(pausedAfter.compareTo(Duration.ofSeconds(12)) < 0, "paused after " + pausedAfter);

            // AND once it answers again everything is stored
            sent += sendPaced(producer, "hang-", sent, 500, Duration.ZERO);
            final int total = sent;
            Await.equalTo(WAIT, () -> count(PG.dataSource(), "SELECT count(*) FROM telemetry_data WHERE device_id LIKE "
                    + "'hang-%'"), (long) total, "all rows after the database answers again");
            Await.until(WAIT, () -> !sink.counters().paused(), Boolean::booleanValue, "sink resumed");
            assertEquals(0L, sink.counters().deadLetters());
        } finally {
            sink.close();
        }
    }

    private static int sendPaced(KafkaProducer<byte[], byte[]> producer, int first, int n, Duration over) {
        return sendPaced(producer, "outage-", first, n, over);
    }

    /** Sends {@code n} readings spread evenly over {@code over} (the stream goes on while the database is down). */
    private static int sendPaced(KafkaProducer<byte[], byte[]> producer, String prefix, int first, int n,
                                 Duration over) {
        long gap = over.isNegative() ? 0 : over.toNanos() / n;
        long next = System.nanoTime();
        for (int i = first; i < first + n; i++) {
            Fixtures.send(producer, Topics.TELEMETRY_CLEAN.name(), prefix + (i % 7),
                    reading(prefix + (i % 7), "r" + i, 1, T0 + i, i));
            next += gap;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        producer.flush();
        return n;
    }
}
