package io.edgesync.dispatcher.enroll;

import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.device.NewDevice;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a registration's credential may claim, checked before any lookup or change. The fleet key:
 * at most {@code ratePerMinute} registrations a minute per key on this instance (one more is 429
 * {@code rate_limited} with Retry-After; refused attempts count too), and, with an id prefix, only
 * ids with that prefix (403 {@code forbidden}); a registration without an id gets prefix + uuid. An
 * enrollment code: only its own device id. Operators: anything.
 */
public final class EnrollmentGate {
    private final String idPrefix;
    private final RateLimiterConfig limit;
    private final Clock clock;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    /** @param clock the time the rate limit counts in (its millisecond ticks) */
    public EnrollmentGate(String idPrefix, int ratePerMinute, Clock clock) {
        this.idPrefix = Objects.requireNonNull(idPrefix);
        this.clock = Objects.requireNonNull(clock);
        this.limit = RateLimiterConfig.custom().limitForPeriod(ratePerMinute)
                .limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).build();
    }

    /** Right after authentication: the fleet key's rate limit (429 with Retry-After past it). */
    public void throttle(Principal p) {
        if (p.kind() != Principal.Kind.ENROLLMENT) {
            return;
        }
        String key = p.credentialId() != null ? p.credentialId() : p.subject();
        RateLimiter limiter = limiters.computeIfAbsent(key, k -> RateLimiter.of("enrollment-" + k, limit,
                () -> clock.millis() * 1_000_000L));
        if (!limiter.acquirePermission()) {
            long nanos = ((AtomicRateLimiter) limiter).getDetailedMetrics().getNanosToWait();
            throw new ApiException(ErrorCode.RATE_LIMITED, "the enrollment key's registrations are rate-limited "
                    + "(dispatcher.enrollment-key-rate-limit per minute); retry later", Map.of(),
                    Duration.ofNanos(Math.max(nanos, 1_000_000_000L)));
        }
    }

    /** The device to register: the request's, with its id filled in where the credential decides it. */
    public NewDevice admit(Principal p, NewDevice d) {
        return switch (p.kind()) {
            case ENROLLMENT -> fleetKey(d);
            case ENROLLMENT_CODE -> code(p, d);
            default -> d;
        };
    }

    private NewDevice fleetKey(NewDevice d) {
        if (idPrefix.isEmpty()) {
            return d;
        }
        if (d.deviceId() == null) {
            return withId(d, idPrefix + UUID.randomUUID());
        }
        if (!d.deviceId().startsWith(idPrefix)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "the enrollment key may register only device ids starting "
                    + "with " + idPrefix + " (dispatcher.enrollment-key-id-prefix)",
                    Map.of("field", "deviceId"), null);
        }
        return d;
    }

    private static NewDevice code(Principal p, NewDevice d) {
        if (d.deviceId() == null) {
            return withId(d, p.subject());
        }
        if (!d.deviceId().equals(p.subject())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "this enrollment code registers only device " + p.subject(),
                    Map.of("field", "deviceId"), null);
        }
        return d;
    }

    private static NewDevice withId(NewDevice d, String id) {
        return new NewDevice(id, d.name(), d.deviceType(), d.location(), d.metadata());
    }
}
