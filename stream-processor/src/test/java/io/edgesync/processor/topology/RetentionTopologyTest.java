package io.edgesync.processor.topology;

import static io.edgesync.processor.topology.TopologyFixture.START;
import static io.edgesync.processor.topology.TopologyFixture.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgesync.shared.model.TelemetryRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retention of the dedupe store: decided on the bounded retention clock (stream time, at most
 * processor.max-clock-skew ahead of the wall clock) and purged a bounded slice per wall-clock step.
 */
class RetentionTopologyTest {
    private static final Duration DAY = Duration.ofDays(1);
    private TopologyFixture t;

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void identityIsForgottenAfterRetentionAndRememberedWithin() {
        t = new TopologyFixture(Map.of("processor.dedupe-retention", "7d", "processor.purge-interval", "1h"));
        TelemetryRecord r = reading("dev-1", "r-1", 1, 1_000, 21.5);
        TelemetryRecord other = reading("dev-2", "r-9", 1, 1_000, 1.0);

        sendAt(r, START);
        sendAt(r, START.plus(DAY.multipliedBy(6)));
        assertEquals(List.of(r), t.clean.readValuesToList(), "a resend within the retention is a duplicate");

        // the resend touched the identity at day 6: it expires 7 days later
        sendAt(other, START.plus(DAY.multipliedBy(12)));
        assertNotNull(t.identities().get(r.identity()));
        sendAt(other, START.plus(DAY.multipliedBy(13)).plusSeconds(3_601 * 2));
        advance(Duration.ofHours(1)); // the next purge step
        assertNull(t.identities().get(r.identity()), "expired identity still in the store after the purge");
        t.clean.readValuesToList();

        sendAt(r, START.plus(DAY.multipliedBy(14)));
        assertEquals(List.of(r), t.clean.readValuesToList(), "a forgotten identity is accepted as new");
    }

    @Test
    void recordWithAClockDaysAheadExpiresNothingAndIsRememberedAtTheBound() {
        t = new TopologyFixture(Map.of("processor.dedupe-retention", "7d", "processor.purge-interval", "10s",
                "processor.max-clock-skew", "10m"));
        TelemetryRecord r = reading("dev-1", "r-1", 1, 1_000, 21.5);
        TelemetryRecord fromTheFuture = reading("dev-2", "r-2", 1, 1_000, 3.0);

        // GIVEN an identity remembered now, and one record whose Kafka timestamp is 30 days ahead
        t.send(r, START);
        t.send(fromTheFuture, START.plus(DAY.multipliedBy(30)));
        // WHEN purge steps run (wall clock moves on by a minute)
        advance(Duration.ofSeconds(30));
        advance(Duration.ofSeconds(30));

        // THEN the first identity is still remembered: a resend is a duplicate, not a new record
        assertNotNull(t.identities().get(r.identity()), "purged by a stream time pushed 30 days ahead");
        t.send(r, START.plusSeconds(60));
        assertEquals(List.of(r, fromTheFuture), t.clean.readValuesToList());
        // AND the record from the future is remembered at the bound (wall clock + 10 min), not 30 days ahead
        assertEquals(START.plus(Duration.ofMinutes(10)).toEpochMilli(),
                t.identities().get(fromTheFuture.identity()).touchedAt());
    }

    @Test
    void purgeExaminesAtMostOneBatchPerStepAndResumesWhereItStopped() {
        t = new TopologyFixture(Map.of("processor.dedupe-retention", "7d", "processor.purge-interval", "10s",
                "processor.purge-batch", "1000"));
        // GIVEN 1,000 identities of device "z" last touched at the start
        for (int i = 0; i < 1_000; i++) {
            t.send(reading("z", "r-" + i, 1, 1_000 + i, i), START);
        }
        // AND eight days later 1,500 identities of device "a", which sort before them in the store
        advance(DAY.multipliedBy(8));
        for (int i = 0; i < 1_500; i++) {
            t.send(reading("a", "r-" + i, 1, 1_000 + i, i), START.plus(DAY.multipliedBy(8)));
        }
        assertEquals(2_500, storeSize());

        // WHEN purge steps run, THEN each examines at most 1,000 identities and the next goes on after the
        // last one examined: the first sees only live "a" identities, the second 500 "a" and 500 "z"
        List<Long> sizes = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            advance(Duration.ofSeconds(10));
            sizes.add(storeSize());
        }
        assertEquals(List.of(2_500L, 2_000L, 1_500L), sizes, "store size after each purge step");
    }

    private void sendAt(TelemetryRecord r, Instant at) {
        // wall clock and stream time move together here, as they do in production
        long ahead = at.toEpochMilli() - wall;
        if (ahead > 0) {
            advance(Duration.ofMillis(ahead));
        }
        t.send(r, at);
    }

    private void advance(Duration d) {
        t.driver.advanceWallClockTime(d);
        wall += d.toMillis();
    }

    private long wall = START.toEpochMilli();

    private long storeSize() {
        long n = 0;
        try (KeyValueIterator<String, ?> it = t.identities().all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
