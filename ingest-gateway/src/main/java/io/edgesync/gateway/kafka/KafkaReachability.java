package io.edgesync.gateway.kafka;

import io.edgesync.shared.kafka.KafkaClients;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster answers, checked every {@code interval} with a metadata request. Drives
 * readiness, and lets the gateway answer 503 at once instead of holding requests while Kafka is away.
 * One slow answer (a busy broker, a long GC pause) does not count: the cluster is marked unreachable
 * only after {@value #FAILURES_TO_MARK_DOWN} checks in a row fail, and reachable again at the first that succeeds.
 */
public final class KafkaReachability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaReachability.class);

    private final Admin admin;
    private final Duration interval;
    static final int FAILURES_TO_MARK_DOWN = 2;

    private final AtomicBoolean reachable = new AtomicBoolean(false);
    private int failuresInARow;
    private final ScheduledExecutorService timer;

    private KafkaReachability(KafkaClients kafka, Duration interval) {
        this.interval = interval;
        int timeoutMs = (int) Math.max(500, interval.toMillis() * 2);
        this.admin = Admin.create(kafka.admin(Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG, "ingest-gateway-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-kafka-health");
            t.setDaemon(true);
            return t;
        });
    }

    public static KafkaReachability start(KafkaClients kafka, Duration interval) {
        KafkaReachability r = new KafkaReachability(kafka, interval);
        r.check();
        r.timer.scheduleWithFixedDelay(r::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    public boolean reachable() {
        return reachable.get();
    }

    private void check() {
        boolean now;
        try {
            int timeoutMs = (int) Math.max(500, interval.toMillis() * 2);
            now = !admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                    .get(timeoutMs + 500L, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            now = false;
        }
        failuresInARow = now ? 0 : failuresInARow + 1;
        if (!now && reachable.get() && failuresInARow < FAILURES_TO_MARK_DOWN) {
            return;
        }
        if (reachable.getAndSet(now) != now) {
            LOG.info("event=kafka_reachability reachable={}", now);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
