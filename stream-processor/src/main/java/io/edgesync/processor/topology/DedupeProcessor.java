package io.edgesync.processor.topology;

import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.retention.IncrementalPurge;
import io.edgesync.processor.retention.RetentionClock;
import io.edgesync.processor.state.DeviceTotals;
import io.edgesync.processor.state.IdentityState;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
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
 * Decides every {@code telemetry.raw} record against the current winner of its identity
 * ({@link Decision}): winners out as {@link Outcome.Clean}, losers as {@link Outcome.Conflict},
 * unreadable records as {@link Outcome.DeadLetter}; counts per device and publishes the totals.
 */
final class DedupeProcessor implements Processor<byte[], byte[], byte[], Outcome> {
    private static final Logger LOG = LoggerFactory.getLogger(DedupeProcessor.class);

    private final long retentionMs;
    private final Duration purgeInterval;
    private final int purgeBatch;
    private final RetentionClock clock;
    private final Duration statsInterval;
    private final RecordOutcomes outcomes;
    private final UnaryOperator<TelemetryRecord> rule;
    private ProcessorContext<byte[], Outcome> context;
    private KeyValueStore<String, IdentityState> identities;
    private IncrementalPurge<IdentityState> purge;
    private DeviceStatsRecorder stats;

    DedupeProcessor(ProcessorConfig config, RecordOutcomes outcomes, UnaryOperator<TelemetryRecord> rule) {
        this.outcomes = java.util.Objects.requireNonNull(outcomes);
        this.rule = java.util.Objects.requireNonNull(rule);
        this.retentionMs = config.retention().toMillis();
        this.purgeInterval = config.purgeInterval();
        this.purgeBatch = config.purgeBatch();
        this.clock = new RetentionClock(config.maxClockSkew());
        this.statsInterval = config.statsInterval();
    }

    @Override
    public void init(ProcessorContext<byte[], Outcome> context) {
        this.context = context;
        this.identities = context.getStateStore(TelemetryTopology.IDENTITY_STORE);
        this.purge = new IncrementalPurge<>(identities, purgeBatch);
        KeyValueStore<String, DeviceTotals> totals = context.getStateStore(TelemetryTopology.STATS_STORE);
        this.stats = new DeviceStatsRecorder(totals);
        // wall clock, not stream time: one record with a far-future timestamp cannot trigger purges
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purgeExpired);
        context.schedule(statsInterval, PunctuationType.WALL_CLOCK_TIME, this::publishStats);
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        int size = DeadLetters.size(in.key(), in.value(), in.headers());
        if (size > DeadLetters.MAX_INPUT_BYTES) {
            // every output derived from it could be over the producer's request limit: keep only where it is
            tooLarge(in, size);
            return;
        }
        RawRecords.Parsed parsed = RawRecords.parse(in.key(), in.value());
        if (!parsed.ok()) {
            deadLetter(in, parsed.reason(), parsed.message());
            return;
        }
        TelemetryRecord incoming = rule.apply(parsed.record());
        long hash = RecordOrdering.payloadHash(incoming);
        long now = clock.now(context, in.timestamp());
        long touchedAt = clock.touchedAt(context, in.timestamp());
        String identity = incoming.identity();
        IdentityState current = identities.get(identity);
        if (current != null && current.expired(now, retentionMs)) {
            current = null;
        }
        Decision decision = Decision.decide(current, incoming.version(), incoming.timestamp(), hash);
        if (decision.duplicate()) {
            IdentityState touched = current.touched(touchedAt);
            if (touched != current) {
                identities.put(identity, touched);
            }
            stats.record(incoming, 0, 1, 0);
            outcomes.duplicate();
            return;
        }
        // everything that can fail comes before the first write, so a failed record changes nothing
        ConflictRecord conflict = decision.conflictType() == null ? null : conflict(incoming, current, decision);
        if (decision.incomingWins()) {
            byte[] json = Json.toBytes(incoming);
            identities.put(identity, current == null ? IdentityState.first(incoming, hash, json, touchedAt)
                    : current.replacedBy(incoming, hash, json, touchedAt));
            context.forward(new Record<byte[], Outcome>(in.key(), new Outcome.Clean(json),
                    in.timestamp(), in.headers()));
        } else {
            identities.put(identity, current.withLoser(hash, touchedAt));
        }
        if (conflict != null) {
            context.forward(new Record<byte[], Outcome>(in.key(), new Outcome.Conflict(conflict),
                    in.timestamp(), in.headers()));
        }
        stats.record(incoming, decision.incomingWins() ? 1 : 0, 0, conflict == null ? 0 : 1);
        if (decision.incomingWins()) {
            outcomes.clean();
        } else {
            outcomes.superseded();
        }
        if (conflict != null) {
            outcomes.conflict(conflict.conflictType());
        }
    }

    private ConflictRecord conflict(TelemetryRecord incoming, IdentityState current, Decision decision) {
        TelemetryRecord winner = current.winner();
        return new ConflictRecord(ConflictRecord.idOf(incoming, winner), incoming.id(), incoming.deviceId(),
                decision.conflictType(), incoming, winner, decision.incomingWins() ? incoming : winner,
                ConflictRecord.LAST_WRITE_WINS, decision.decidedBy(), context.currentSystemTimeMs());
    }

    private void deadLetter(Record<byte[], byte[]> in, String reason, String message) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        LOG.warn("event=record_dead_lettered reason={} partition={} offset={}", reason,
                source == null ? -1 : source.partition(), source == null ? -1 : source.offset());
        context.forward(new Record<byte[], Outcome>(in.key(), new Outcome.DeadLetter(in.value()),
                in.timestamp(), DeadLetters.headers(in.headers(), reason, message, source)));
        outcomes.deadLettered(reason);
    }

    private void tooLarge(Record<byte[], byte[]> in, int size) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        String message = "the record is " + size + " bytes with its headers, more than "
                + DeadLetters.MAX_INPUT_BYTES + "; value and headers omitted, read them at the source offset";
        LOG.warn("event=record_dead_lettered reason={} bytes={} partition={} offset={}", RawRecords.TOO_LARGE, size,
                source == null ? -1 : source.partition(), source == null ? -1 : source.offset());
        context.forward(new Record<byte[], Outcome>(in.key(), new Outcome.DeadLetter(null), in.timestamp(),
                DeadLetters.headers(new RecordHeaders(), RawRecords.TOO_LARGE, message, source)));
        outcomes.deadLettered(RawRecords.TOO_LARGE);
    }

    private void publishStats(long now) {
        stats.publish(now, s -> context.forward(new Record<byte[], Outcome>(
                s.deviceId().getBytes(StandardCharsets.UTF_8), new Outcome.Stats(s), now, Topics.jsonHeaders())));
    }

    /** One bounded purge step (see {@link IncrementalPurge}), on the retention clock. */
    private void purgeExpired(long wallClock) {
        long now = clock.now(context);
        IncrementalPurge.Step step = purge.step(state -> state.expired(now, retentionMs));
        if (step.deleted() > 0) {
            LOG.info("event=identities_expired count={} examined={} retention_clock={}", step.deleted(),
                    step.examined(), now);
        }
    }
}
