package io.edgesync.cli;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the component {@code edgesync serve} runs, so that the orchestrator (compose's
 * {@code restart:}, a Kubernetes Deployment) restarts a process whose component failed: not live
 * (the processor's Kafka Streams in ERROR or shut down, the sink's consumer thread gone) ends the
 * process at once; not ready for longer than {@code serve.max-unready} (its database or broker gone
 * for good) ends it too. Either way {@code serve} exits with status 1.
 */
final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    static final Setting<Duration> MAX_UNREADY = Setting.duration("serve.max-unready", "5m",
            "edgesync serve exits with status 1 when its service has not been ready (/health/ready) for this "
                + "long, e.g. its database or Kafka gone for good, so the orchestrator restarts it; 0 never. A "
                + "service that is not live (/health/live) ends the process at once.");
    static final Setting<Duration> CHECK_INTERVAL = Setting.duration("serve.check-interval", "1s",
            "How often edgesync serve checks its service's liveness and readiness.");
    static final List<Setting<?>> SETTINGS = List.of(MAX_UNREADY, CHECK_INTERVAL);

    /** What is watched: the service's own liveness and readiness, as its health endpoints answer. */
    record Health(String service, BooleanSupplier live, BooleanSupplier ready) {
        Health {
            Objects.requireNonNull(service);
            Objects.requireNonNull(live);
            Objects.requireNonNull(ready);
        }
    }

    private final Health health;
    private final Duration maxUnready;
    private final Duration interval;

    Supervisor(Health health, ConfigSource config) {
        this.health = Objects.requireNonNull(health);
        this.maxUnready = config.get(MAX_UNREADY);
        this.interval = config.get(CHECK_INTERVAL);
        if (interval.isZero() || interval.isNegative()) {
            throw new io.edgesync.shared.config.ConfigException("invalid key " + CHECK_INTERVAL.key()
                    + ": must be positive; accepted: " + CHECK_INTERVAL.accepted());
        }
    }

    /** Blocks until a stop is requested (returns 0) or the service failed (returns 1). */
    int await(Lifecycle lifecycle) throws InterruptedException {
        long unreadySince = -1;
        while (!lifecycle.awaitStop(interval.toMillis())) {
            if (!health.live().getAsBoolean()) {
                LOG.error("event=component_failed service={} reason=not_live", health.service());
                return 1;
            }
            long now = System.nanoTime();
            if (health.ready().getAsBoolean()) {
                if (unreadySince >= 0) {
                    LOG.info("event=component_ready service={}", health.service());
                }
                unreadySince = -1;
            } else if (unreadySince < 0) {
                unreadySince = now;
                LOG.warn("event=component_not_ready service={} max_unready_s={}", health.service(),
                        maxUnready.toSeconds());
            } else if (!maxUnready.isZero() && now - unreadySince >= maxUnready.toNanos()) {
                LOG.error("event=component_failed service={} reason=not_ready_for_s={}", health.service(),
                        Duration.ofNanos(now - unreadySince).toSeconds());
                return 1;
            }
        }
        return 0;
    }
}
