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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PostgreSQL stopped for 10 s mid-stream (same port, same data directory): the sink pauses, resumes, loses nothing. */
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

    /** Sends {@code n} readings spread evenly over {@code over} (the stream goes on while the database is down). */
    private static int sendPaced(KafkaProducer<byte[], byte[]> producer, int first, int n, Duration over) {
        long gap = over.isNegative() ? 0 : over.toNanos() / n;
        long next = System.nanoTime();
        for (int i = first; i < first + n; i++) {
            Fixtures.send(producer, Topics.TELEMETRY_CLEAN.name(), "outage-" + (i % 7),
                    reading("outage-" + (i % 7), "r" + i, 1, T0 + i, i));
            next += gap;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        producer.flush();
        return n;
    }
}
