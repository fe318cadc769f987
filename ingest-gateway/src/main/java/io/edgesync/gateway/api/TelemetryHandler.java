package io.edgesync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.gateway.api.GatewayMetrics.Pressure;
import io.edgesync.gateway.auth.Credentials;
import io.edgesync.gateway.auth.DeviceAuthenticator;
import io.edgesync.gateway.kafka.RecordEncoder;
import io.edgesync.gateway.kafka.TelemetryPublisher;
import io.edgesync.gateway.limit.DeviceRateLimiter;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.http.HttpServers;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.Rejection;
import io.edgesync.shared.model.TelemetryRecord;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.edgesync.shared.tls.ClientCertificates;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/sync/telemetry}: validates each record, writes the valid ones to Kafka and
 * answers 200 only after Kafka acknowledged every one of them. The wait for acknowledgements does
 * not hold an HTTP thread.
 */
public final class TelemetryHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryHandler.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** The 200 body. */
    public record UploadResult(String batchId, int accepted, List<Rejection> rejected) {
    }

    private record Prepared(String deviceId, String batchId, List<byte[]> values, List<Rejection> rejected) {
    }

    private final UploadReader reader;
    private final BatchParser parser;
    private final DeviceAuthenticator authenticator;
    private final DeviceRateLimiter rateLimiter;
    private final TelemetryPublisher publisher;
    private final BooleanSupplier kafkaReady;
    private final RequestGate gate;
    private final Semaphore inFlight;
    private final Duration produceTimeout;
    private final Clock clock;
    private final GatewayMetrics metrics;
    private final Executor responder;
    private final long maxAheadMillis;

    public TelemetryHandler(UploadReader reader, BatchParser parser, DeviceAuthenticator authenticator,
                            DeviceRateLimiter rateLimiter, TelemetryPublisher publisher, BooleanSupplier kafkaReady,
                            RequestGate gate, Semaphore inFlight, Duration produceTimeout, Clock clock, GatewayMetrics metrics,
                            Executor responder, Duration maxTimestampAhead) {
        this.reader = Objects.requireNonNull(reader);
        this.parser = Objects.requireNonNull(parser);
        this.authenticator = Objects.requireNonNull(authenticator);
        this.rateLimiter = Objects.requireNonNull(rateLimiter);
        this.publisher = Objects.requireNonNull(publisher);
        this.kafkaReady = Objects.requireNonNull(kafkaReady);
        this.gate = Objects.requireNonNull(gate);
        this.inFlight = Objects.requireNonNull(inFlight);
        this.produceTimeout = Objects.requireNonNull(produceTimeout);
        this.clock = Objects.requireNonNull(clock);
        this.metrics = Objects.requireNonNull(metrics);
        this.responder = Objects.requireNonNull(responder);
        this.maxAheadMillis = maxTimestampAhead.toMillis();
    }

    @Override
    public void handle(Context ctx) {
        if (!gate.tryEnter()) {
            metrics.pressure(Pressure.SHUTTING_DOWN);
            throw new ApiException(ErrorCode.UNAVAILABLE, "the gateway is shutting down; retry later",
                    Map.of("reason", "shutting_down"), RETRY_AFTER);
        }
        boolean handedOff = false;
        try {
            Prepared prepared = prepare(ctx);
            UploadResult result = new UploadResult(prepared.batchId(), prepared.values().size(), prepared.rejected());
            if (prepared.values().isEmpty()) {
                ctx.json(result);
                return;
            }
            int n = prepared.values().size();
            if (!kafkaReady.getAsBoolean()) {
                throw unavailable(Pressure.KAFKA_UNAVAILABLE, "telemetry cannot be stored now: Kafka is unreachable or the device registry is still loading");
            }
            if (!inFlight.tryAcquire(n)) {
                throw unavailable(Pressure.IN_FLIGHT_FULL, "too many records waiting for Kafka; retry later");
            }
            long start = System.nanoTime();
            CompletableFuture<Void> ack = publisher.publish(prepared.deviceId(), prepared.values())
                    .orTimeout(produceTimeout.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<Void> answered = ack.handleAsync((ok, error) -> {
                try {
                    inFlight.release(n);
                    metrics.produced(System.nanoTime() - start);
                    if (error == null) {
                        metrics.accepted(n);
                        ctx.json(result);
                    } else {
                        LOG.warn("event=publish_failed records={} error={}", n, rootCause(error));
                        metrics.pressure(Pressure.KAFKA_UNAVAILABLE);
                        HttpServers.respond(ctx, new ApiException(ErrorCode.UNAVAILABLE,
                                "telemetry could not be stored; retry later", Map.of("reason", "kafka_unavailable"),
                                RETRY_AFTER));
                    }
                } finally {
                    gate.leave();
                }
                return null;
            }, responder);
            handedOff = true;
            ctx.future(() -> answered);
        } finally {
            if (!handedOff) {
                gate.leave();
            }
        }
    }

    private Prepared prepare(Context ctx) {
        reader.checkContentType(ctx.contentType());
        X509Certificate[] chain = ClientCertificates.chain(ctx);
        String authenticated = authenticator.authenticate(new Credentials(ctx.header("Authorization"), chain));
        byte[] json = reader.decode(ctx.header("Content-Encoding"), readBody(ctx));
        BatchParser.Batch batch = parser.parse(json);
        List<BatchParser.RawRecord> records = batch.records();
        String deviceId = authenticated != null ? authenticated : claimedDevice(batch);
        Envelope.check(batch);
        if (batch.deviceId() != null && !batch.deviceId().equals(deviceId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "the envelope names device " + batch.deviceId()
                    + " but the credentials are for another device", Map.of("deviceId", batch.deviceId()), null);
        }
        metrics.batch(records.size());
        DeviceRateLimiter.Decision decision = rateLimiter.tryAcquire(deviceId, records.size());
        if (!decision.allowed()) {
            metrics.pressure(Pressure.RATE_LIMITED);
            throw new ApiException(ErrorCode.RATE_LIMITED, "device " + deviceId + " is over its upload rate",
                    Map.of("retryAfterMillis", decision.retryAfter().toMillis()), decision.retryAfter());
        }
        String batchId = batch.batchId() != null ? batch.batchId() : UUID.randomUUID().toString();
        long receivedAt = clock.millis();
        long maxTimestamp = receivedAt > RecordValidator.MAX_TIMESTAMP - maxAheadMillis
                ? RecordValidator.MAX_TIMESTAMP : receivedAt + maxAheadMillis;
        RecordEncoder.Receipt receipt = new RecordEncoder.Receipt(deviceId, receivedAt, batchId);
        List<byte[]> values = new ArrayList<>(records.size());
        List<Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            BatchParser.RawRecord raw = records.get(i);
            if (raw.end() - raw.start() > RecordValidator.MAX_RECORD_BYTES) {
                Rejection tooLarge = Envelope.tooLarge(i, raw.node(batch.json()));
                rejected.add(tooLarge);
                metrics.rejected(tooLarge.code());
                continue;
            }
            TelemetryRecord fast = raw.fast() == null ? null : raw.fast().accept(deviceId, maxTimestamp);
            if (fast != null) {
                values.add(receipt.value(new RecordEncoder.Source(batch.json(), raw.start(), raw.end(), true,
                        raw.fast().deviceId() != null, raw.fast().versionPresent()), fast));
                continue;
            }
            JsonNode node = raw.node(batch.json());
            RecordValidator.Result r = RecordValidator.validate(i, node, deviceId, maxTimestamp);
            if (r.ok()) {
                values.add(receipt.value(RecordEncoder.Source.of(batch.json(), raw.start(), raw.end(), node), r.record()));
            } else {
                rejected.add(r.rejection());
                metrics.rejected(r.rejection().code());
            }
        }
        return new Prepared(deviceId, batchId, values, rejected);
    }

    private byte[] readBody(Context ctx) {
        try {
            return reader.readBody(ctx.req().getInputStream(), ctx.req().getContentLengthLong());
        } catch (java.io.IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "the request body could not be read");
        }
    }

    /** With authentication off, the envelope's deviceId, or else the first record's. */
    private static String claimedDevice(BatchParser.Batch batch) {
        String claimed = batch.deviceId();
        if (claimed == null && !batch.records().isEmpty()) {
            BatchParser.RawRecord first = batch.records().get(0);
            if (first.fast() != null) {
                claimed = first.fast().deviceId();
            } else {
                JsonNode named = first.node(batch.json()).get("deviceId");
                claimed = named != null && named.isTextual() ? named.asText() : null;
            }
        }
        if (claimed == null || claimed.isBlank()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "deviceId is required when authentication is off");
        }
        return claimed;
    }

    private ApiException unavailable(Pressure reason, String message) {
        metrics.pressure(reason);
        return new ApiException(ErrorCode.UNAVAILABLE, message,
                Map.of("reason", reason.name().toLowerCase(java.util.Locale.ROOT)), RETRY_AFTER);
    }

    private static String rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
