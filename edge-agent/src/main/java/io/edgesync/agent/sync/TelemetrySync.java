package io.edgesync.agent.sync;

import io.edgesync.agent.store.LocalStore;
import io.edgesync.shared.model.Rejection;
import io.edgesync.shared.model.TelemetryRecord;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships pending records, oldest first, in batches. A batch is marked {@code syncing} before it
 * leaves and {@code synced} only after a 2xx; a failed cycle returns it to pending, and a crash
 * leaves it {@code syncing}, which {@link LocalStore#releaseSyncing()} returns at start-up.
 */
public final class TelemetrySync {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetrySync.class);

    /** The result of one cycle. */
    public record CycleResult(int sent, int accepted, int rejected, UploadException failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /** Backoff settings: exponential with jitter, capped. */
    public record RetryPolicy(int maxAttempts, Duration initialInterval, double multiplier, Duration maxInterval) {
        public static RetryPolicy defaults() {
            return new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60));
        }
    }

    private final String deviceId;
    private final LocalStore store;
    private final TelemetryUploader uploader;
    private final int batchSize;
    private final Retry retry;
    private final Clock clock;

    public TelemetrySync(String deviceId, LocalStore store, TelemetryUploader uploader, int batchSize,
                         RetryPolicy policy, Clock clock) {
        this.deviceId = Objects.requireNonNull(deviceId);
        this.store = Objects.requireNonNull(store);
        this.uploader = Objects.requireNonNull(uploader);
        this.batchSize = batchSize;
        this.clock = clock;
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(policy.initialInterval(),
                policy.multiplier(), 0.5, policy.maxInterval());
        IntervalBiFunction<Object> interval = (attempt, either) -> {
            long wait = backoff.apply(attempt);
            if (either.isLeft() && either.getLeft() instanceof UploadException u && u.retryAfter() != null) {
                wait = Math.max(wait, u.retryAfter().toMillis());
            }
            return wait;
        };
        this.retry = Retry.of("telemetry-upload-" + deviceId, RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(e -> e instanceof UploadException u && u.retryable())
                .build());
    }

    /** Uploads until nothing is pending or a batch fails after its retries. */
    public CycleResult syncPending() {
        long started = clock.millis();
        int sent = 0;
        int accepted = 0;
        int rejected = 0;
        while (true) {
            List<TelemetryRecord> batch = store.claimPending(batchSize);
            if (batch.isEmpty()) {
                break;
            }
            String batchId = UUID.randomUUID().toString();
            sent += batch.size();
            TelemetryUploader.Outcome outcome;
            try {
                outcome = retry.executeCheckedSupplier(() -> uploader.upload(deviceId, batchId, batch));
            } catch (Throwable t) {
                store.releaseSyncing();
                UploadException failure = t instanceof UploadException u ? u
                        : new UploadException(t.toString(), 0, true, null, t);
                if (!failure.retryable()) {
                    // a 4xx for the whole batch: the gateway will refuse these records every time
                    LOG.warn("event=batch_refused device={} status={} reason=\"{}\"", deviceId, failure.status(),
                            failure.getMessage());
                }
                store.logSync("up", started, sent, accepted, rejected, "failed", failure.getMessage());
                return new CycleResult(sent, accepted, rejected, failure);
            }
            Set<String> refused = new HashSet<>();
            for (Rejection r : outcome.rejected()) {
                if (r.id() != null) {
                    refused.add(r.id());
                    store.markFailed(r.id(), r.code() + ": " + r.message());
                }
            }
            store.markSynced(batch.stream().map(TelemetryRecord::id).filter(id -> !refused.contains(id)).toList());
            accepted += outcome.accepted();
            rejected += outcome.rejected().size();
        }
        if (sent > 0) {
            store.logSync("up", started, sent, accepted, rejected, "ok", null);
        }
        return new CycleResult(sent, accepted, rejected, null);
    }
}
