package io.edgesync.gateway.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The gateway's meters. Names are constants; tags are bounded: HTTP status, rejection code,
 * back-pressure reason. Never a device id.
 */
public final class GatewayMetrics {
    public static final String REQUESTS = "edgesync.gateway.requests";
    public static final String RECORDS_ACCEPTED = "edgesync.gateway.records.accepted";
    public static final String RECORDS_REJECTED = "edgesync.gateway.records.rejected";
    public static final String BATCH_SIZE = "edgesync.gateway.batch.size";
    public static final String PRODUCE_LATENCY = "edgesync.gateway.produce.latency";
    public static final String IN_FLIGHT = "edgesync.gateway.in.flight.records";
    public static final String BACKPRESSURE = "edgesync.gateway.backpressure.rejections";

    /** Why a request was turned away for capacity rather than content. */
    public enum Pressure { RATE_LIMITED, IN_FLIGHT_FULL, KAFKA_UNAVAILABLE, SHUTTING_DOWN }

    private final MeterRegistry registry;
    private final Counter accepted;
    private final DistributionSummary batchSize;
    private final Timer produceLatency;
    private final IntSupplier inFlightRecords; // held: the gauge keeps only a weak reference

    public GatewayMetrics(MeterRegistry registry, IntSupplier inFlightRecords) {
        this.registry = registry;
        this.accepted = Counter.builder(RECORDS_ACCEPTED).description("records acknowledged by Kafka and answered 200")
                .register(registry);
        this.batchSize = DistributionSummary.builder(BATCH_SIZE).description("records per upload")
                .serviceLevelObjectives(1, 10, 100, 500, 1000, 2000, 5000).register(registry);
        this.produceLatency = Timer.builder(PRODUCE_LATENCY).description("send to acknowledgement of a whole batch")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000))
                .register(registry);
        this.inFlightRecords = inFlightRecords;
        registry.gauge(IN_FLIGHT, this.inFlightRecords, IntSupplier::getAsInt);
        for (Pressure p : Pressure.values()) {
            pressureCounter(p);
        }
        // the per-record codes, at zero until the first rejection, so rates over them exist
        for (String code : java.util.List.of(io.edgesync.shared.model.RecordValidator.MISSING_FIELD,
                io.edgesync.shared.model.RecordValidator.INVALID_FIELD,
                io.edgesync.shared.model.RecordValidator.DEVICE_MISMATCH,
                io.edgesync.shared.model.RecordValidator.METADATA_TOO_LARGE)) {
            registry.counter(RECORDS_REJECTED, "code", code);
        }
    }

    public void request(int status) {
        registry.counter(REQUESTS, "status", Integer.toString(status)).increment();
    }

    public void accepted(int records) {
        accepted.increment(records);
    }

    public double acceptedTotal() {
        return accepted.count();
    }

    public void rejected(String code) {
        registry.counter(RECORDS_REJECTED, "code", code).increment();
    }

    public void batch(int records) {
        batchSize.record(records);
    }

    public void produced(long nanos) {
        produceLatency.record(Duration.ofNanos(nanos));
    }

    public void pressure(Pressure reason) {
        pressureCounter(reason).increment();
    }

    private Counter pressureCounter(Pressure reason) {
        return registry.counter(BACKPRESSURE, "reason", reason.name().toLowerCase(java.util.Locale.ROOT));
    }
}
