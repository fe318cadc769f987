package io.edgesync.sink.ops;

import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.store.SinkRow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * End-to-end sync latency, measured when a batch's rows are committed: from the reading's edge
 * timestamp to the row ({@code since="edge"}, includes the time a device was offline) and from the
 * gateway's receipt to the row ({@code since="gateway"}, the control plane's own delay). One
 * histogram, the tag bounded to these two values. A timestamp in the future (a device clock ahead)
 * counts as zero.
 */
public final class SyncLatency {
    public static final String NAME = "edgesync.sink.sync.latency";
    private static final Duration[] BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
        Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1)};

    private final Clock clock;
    private final Timer sinceEdge;
    private final Timer sinceGateway;

    public SyncLatency(MeterRegistry registry, Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        this.sinceEdge = timer(registry, "edge", "edge timestamp of a reading to its telemetry_data row commit");
        this.sinceGateway = timer(registry, "gateway", "gateway receipt of a reading to its telemetry_data row commit");
    }

    private static Timer timer(MeterRegistry registry, String since, String description) {
        return Timer.builder(NAME).tag("since", since).description(description)
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1]).register(registry);
    }

    /** Records the telemetry rows of a batch that was just committed. */
    public void committed(List<SinkRow> rows) {
        long now = clock.millis();
        for (SinkRow row : rows) {
            if (row instanceof SinkRow.Telemetry t) {
                TelemetryRecord r = t.record();
                sinceEdge.record(Duration.ofMillis(Math.max(0, now - r.timestamp())));
                if (r.receivedAt() != null) {
                    sinceGateway.record(Duration.ofMillis(Math.max(0, now - r.receivedAt())));
                }
            }
        }
    }
}
