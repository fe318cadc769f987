package io.edgesync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.gateway.auth.DeviceAuthenticator;
import io.edgesync.gateway.kafka.TelemetryPublisher;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.Rejection;
import io.edgesync.shared.model.TelemetryRecord;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/v1/sync/telemetry}: answers 200 only after Kafka acknowledged every accepted record. */
public final class TelemetryHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryHandler.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** The 200 body. */
    public record UploadResult(String batchId, int accepted, List<Rejection> rejected) {
    }

    private final UploadReader reader;
    private final DeviceAuthenticator authenticator;
    private final TelemetryPublisher publisher;
    private final int maxBatchRecords;
    private final Semaphore inFlight;
    private final Duration produceTimeout;
    private final Clock clock;
    private final Counter accepted;
    private final MeterRegistry metrics;
    private final DistributionSummary batchSize;
    private final Timer produceLatency;

    public TelemetryHandler(UploadReader reader, DeviceAuthenticator authenticator, TelemetryPublisher publisher,
                            int maxBatchRecords, int maxInFlightRecords, Duration produceTimeout, Clock clock,
                            MeterRegistry metrics) {
        this.reader = Objects.requireNonNull(reader);
        this.authenticator = Objects.requireNonNull(authenticator);
        this.publisher = Objects.requireNonNull(publisher);
        this.maxBatchRecords = maxBatchRecords;
        this.inFlight = new Semaphore(maxInFlightRecords);
        this.produceTimeout = produceTimeout;
        this.clock = clock;
        this.metrics = metrics;
        this.accepted = Counter.builder(GatewayMetrics.RECORDS_ACCEPTED).register(metrics);
        this.batchSize = DistributionSummary.builder(GatewayMetrics.BATCH_SIZE).publishPercentileHistogram()
                .register(metrics);
        this.produceLatency = Timer.builder(GatewayMetrics.PRODUCE_LATENCY).publishPercentileHistogram()
                .register(metrics);
        metrics.gauge(GatewayMetrics.IN_FLIGHT, inFlight, s -> maxInFlightRecords - s.availablePermits());
    }

    @Override
    public void handle(Context ctx) {
        UploadReader.Upload upload = reader.read(ctx.contentType(), ctx.header("Content-Encoding"), ctx.bodyAsBytes());
        JsonNode records = upload.records();
        String claimed = upload.deviceId();
        if (claimed == null && !records.isEmpty() && records.get(0).isObject() && records.get(0).hasNonNull("deviceId")) {
            claimed = records.get(0).get("deviceId").asText();
        }
        String deviceId = authenticator.authenticate(ctx.header("Authorization"), claimed);
        if (upload.deviceId() != null && !upload.deviceId().equals(deviceId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "envelope deviceId is not the authenticated device");
        }
        if (records.size() > maxBatchRecords) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "batch has " + records.size()
                    + " records; the limit is " + maxBatchRecords, Map.of("maxRecords", maxBatchRecords), null);
        }
        batchSize.record(records.size());
        String batchId = upload.batchId() != null ? upload.batchId() : UUID.randomUUID().toString();
        long receivedAt = clock.millis();
        List<TelemetryRecord> valid = new ArrayList<>(records.size());
        List<Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            RecordValidator.Result result = RecordValidator.validate(i, records.get(i), deviceId);
            if (result.ok()) {
                valid.add(result.record().withReceipt(receivedAt, batchId));
            } else {
                rejected.add(result.rejection());
                metrics.counter(GatewayMetrics.RECORDS_REJECTED, "code", result.rejection().code()).increment();
            }
        }
        publish(valid);
        accepted.increment(valid.size());
        ctx.json(new UploadResult(batchId, valid.size(), rejected));
    }

    private void publish(List<TelemetryRecord> valid) {
        if (valid.isEmpty()) {
            return;
        }
        if (!inFlight.tryAcquire(valid.size())) {
            metrics.counter(GatewayMetrics.BACKPRESSURE, "reason", "in_flight_full").increment();
            throw new ApiException(ErrorCode.UNAVAILABLE, "too many records waiting for Kafka; retry later",
                    Map.of("reason", "in_flight_full"), RETRY_AFTER);
        }
        long start = System.nanoTime();
        try {
            publisher.publish(valid, produceTimeout);
        } catch (TelemetryPublisher.PublishException e) {
            metrics.counter(GatewayMetrics.BACKPRESSURE, "reason", "kafka_unavailable").increment();
            LOG.warn("event=publish_failed records={} reason=\"{}\"", valid.size(), e.getMessage());
            throw new ApiException(ErrorCode.UNAVAILABLE, "telemetry could not be stored; retry later",
                    Map.of("reason", "kafka_unavailable"), RETRY_AFTER);
        } finally {
            inFlight.release(valid.size());
            produceLatency.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
