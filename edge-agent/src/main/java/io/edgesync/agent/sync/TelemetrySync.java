package io.edgesync.agent.sync;

import io.edgesync.agent.store.LocalStore;
import io.edgesync.agent.store.SyncLog;
import io.edgesync.agent.store.SyncLogEntry;
import io.edgesync.shared.model.Rejection;
import io.edgesync.shared.model.TelemetryRecord;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships pending records, oldest first, in batches. A batch is marked {@code syncing} before it
 * leaves and {@code synced} only after a 2xx; records the gateway refused are marked
 * {@code failed} with its reason and never resent. A batch whose retries ran out goes back to
 * pending; a crash leaves it {@code syncing}, which {@link LocalStore#releaseSyncing()} returns at
 * start-up (the cloud dedupes by id). A 401 or 403 stops the cycle and is reported. Each cycle that did
 * anything writes one {@code sync_log} row.
 */
public final class TelemetrySync {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetrySync.class);

    /** The result of one cycle. {@code waits} are the backoff pauses taken, in order. */
    public record CycleResult(int sent, int accepted, int rejected, UploadException failure, List<Long> waits) {
        public CycleResult(int sent, int accepted, int rejected, UploadException failure) {
            this(sent, accepted, rejected, failure, List.of());
        }

        public boolean ok() {
            return failure == null;
        }

        public boolean unauthorized() {
            return failure != null && failure.unauthorized();
        }
    }

    /** Backoff settings: exponential with jitter, capped. Kept for callers of the first API. */
    public record RetryPolicy(int maxAttempts, Duration initialInterval, double multiplier, Duration maxInterval) {
        public static RetryPolicy defaults() {
            return new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60));
        }

        public Backoff.Policy toBackoff() {
            return new Backoff.Policy(maxAttempts, initialInterval, multiplier, maxInterval, 0.5);
        }
    }

    private final String deviceId;
    private final LocalStore store;
    private final TelemetryUploader uploader;
    private volatile int currentBatchSize;
    private final Backoff backoff;
    private final Clock clock;

    public TelemetrySync(String deviceId, LocalStore store, TelemetryUploader uploader, int batchSize,
                         RetryPolicy policy, Clock clock) {
        this(deviceId, store, uploader, batchSize, new Backoff(policy.toBackoff(), Math::random), clock);
    }

    public TelemetrySync(String deviceId, LocalStore store, TelemetryUploader uploader, int batchSize,
                         Backoff backoff, Clock clock) {
        this.deviceId = Objects.requireNonNull(deviceId);
        this.store = Objects.requireNonNull(store);
        this.uploader = Objects.requireNonNull(uploader);
        this.currentBatchSize = batchSize;
        this.backoff = Objects.requireNonNull(backoff);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Builds the resilience4j retry for one cycle; {@code waits} collects the pauses it chose. */
    private Retry retry(List<Long> waits) {
        IntervalBiFunction<Object> interval = (attempt, either) -> {
            Duration retryAfter = either.isLeft() && either.getLeft() instanceof UploadException u ? u.retryAfter() : null;
            long wait = backoff.waitMillis(attempt, retryAfter);
            waits.add(wait);
            return wait;
        };
        return Retry.of("telemetry-upload-" + deviceId, RetryConfig.custom()
                .maxAttempts(backoff.policy().maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(e -> e instanceof UploadException u && u.retryable())
                .build());
    }

    /** Uploads until nothing is pending or a batch fails after its retries. */
    public CycleResult syncPending() {
        long started = clock.millis();
        List<Long> waits = Collections.synchronizedList(new ArrayList<>());
        Retry retry = retry(waits);
        int sent = 0;
        int accepted = 0;
        int rejected = 0;
        while (true) {
            List<TelemetryRecord> batch = store.claimPending(currentBatchSize);
            if (batch.isEmpty()) {
                break;
            }
            String batchId = UUID.randomUUID().toString();
            sent += batch.size();
            TelemetryUploader.Outcome outcome;
            try {
                outcome = retry.executeCheckedSupplier(() -> uploader.upload(deviceId, batchId, batch));
            } catch (Throwable t) {
                UploadException failure = t instanceof UploadException u ? u
                        : new UploadException(t.toString(), 0, true, null, t);
                if (failure.status() == 413 && batch.size() > 1) {
                    // too large for this gateway: the same records, in smaller batches, now
                    store.releaseSyncing();
                    sent -= batch.size();
                    currentBatchSize = Math.max(1, batch.size() / 2);
                    LOG.info("event=batch_size_reduced device={} batch_size={}", deviceId, currentBatchSize);
                    continue;
                }
                if (failure.retryable() || failure.unauthorized()) {
                    store.releaseSyncing();
                } else {
                    rejected += refuseBatch(batch, failure);
                }
                if (failure.unauthorized()) {
                    LOG.error("event=sync_stopped device={} status={} reason=\"{}\"", deviceId, failure.status(),
                            failure.getMessage());
                }
                log(started, sent, accepted, rejected, "failed", failure.getMessage());
                return new CycleResult(sent, accepted, rejected, failure, List.copyOf(waits));
            }
            Map<String, String> refused = new LinkedHashMap<>();
            for (Rejection r : outcome.rejected()) {
                if (r.id() != null) {
                    refused.put(r.id(), r.code() + ": " + r.message());
                }
            }
            Set<String> refusedIds = new HashSet<>(refused.keySet());
            store.settle(batch.stream().map(TelemetryRecord::id).filter(id -> !refusedIds.contains(id)).toList(),
                    refused);
            accepted += outcome.accepted();
            rejected += refused.size();
        }
        if (sent > 0) {
            log(started, sent, accepted, rejected, "ok", null);
        }
        return new CycleResult(sent, accepted, rejected, null, List.copyOf(waits));
    }

    /** The batch size in use: the configured one, or less after a gateway answered 413. */
    public int currentBatchSize() {
        return currentBatchSize;
    }

    /** A 4xx other than 401 for the whole batch: resending it would be refused the same way. */
    private int refuseBatch(List<TelemetryRecord> batch, UploadException failure) {
        LOG.warn("event=batch_refused device={} status={} records={} reason=\"{}\"", deviceId, failure.status(),
                batch.size(), failure.getMessage());
        Map<String, String> failed = new LinkedHashMap<>();
        for (TelemetryRecord r : batch) {
            failed.put(r.id(), "http " + failure.status() + ": " + failure.getMessage());
        }
        store.settle(List.of(), failed);
        return batch.size();
    }

    private void log(long started, int sent, int accepted, int rejected, String status, String error) {
        new SyncLog(store).record(new SyncLogEntry("up", started, clock.millis(), sent, accepted, rejected, status,
                error));
    }
}
