package io.edgesync.gateway;

import io.edgesync.gateway.api.BatchParser;
import io.edgesync.gateway.api.GatewayMetrics;
import io.edgesync.gateway.api.RequestGate;
import io.edgesync.gateway.api.TelemetryHandler;
import io.edgesync.gateway.api.UploadReader;
import io.edgesync.gateway.auth.Authenticators;
import io.edgesync.gateway.auth.DeviceAuthenticator;
import io.edgesync.gateway.kafka.KafkaReachability;
import io.edgesync.gateway.kafka.TelemetryPublisher;
import io.edgesync.gateway.limit.DeviceRateLimiter;
import io.edgesync.gateway.tables.TableRegistryCache;
import io.edgesync.gateway.tables.TableRowPublisher;
import io.edgesync.gateway.tables.TableRowsHandler;
import io.edgesync.shared.tls.TlsConnector;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.http.HttpServers;
import io.javalin.Javalin;
import io.edgesync.shared.metrics.ServiceMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest gateway service: HTTP(S) in, {@code telemetry.raw} out. Ready while it accepts and
 * Kafka answers. {@link #close()} drains: not ready, refuse new requests, finish those in flight,
 * flush the producer, close.
 */
public final class IngestGateway implements AutoCloseable {
    private static final Duration RESPONSE_WRITE_GRACE = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(IngestGateway.class);
    private static final String TELEMETRY_PATH = "/api/v1/sync/telemetry";
    private static final String TABLES_PATH = "/api/v1/sync/tables/{table}";
    private static final Duration AUTH_READY_WAIT = Duration.ofSeconds(30);

    private final GatewayConfig config;
    private final Javalin app;
    private final TelemetryPublisher publisher;
    private final KafkaReachability reachability;
    private final BooleanSupplier ready;
    private final AutoCloseable authResources;
    private final AtomicBoolean accepting;
    private final RequestGate gate;
    private final GatewayMetrics metrics;
    private final ExecutorService responder;
    private final AtomicBoolean closed = new AtomicBoolean();

    private IngestGateway(GatewayConfig config, Javalin app, TelemetryPublisher publisher, BooleanSupplier ready,
                          AutoCloseable authResources, AtomicBoolean accepting, RequestGate gate, GatewayMetrics metrics,
                          ExecutorService responder, KafkaReachability reachability) {
        this.config = config;
        this.app = app;
        this.publisher = publisher;
        this.reachability = reachability;
        this.ready = ready;
        this.authResources = authResources;
        this.accepting = accepting;
        this.gate = gate;
        this.metrics = metrics;
        this.responder = responder;
    }

    /** Starts with the authenticator {@code gateway.auth-mode} names (the entry of {@code edgesync serve gateway}). */
    public static IngestGateway start(ConfigSource source) {
        return start(GatewayConfig.from(source));
    }

    public static IngestGateway start(GatewayConfig config) {
        return start(config, Authenticators.from(config, Clock.systemUTC()));
    }

    /**
     * Starts with an authenticator already built, its readiness (the registry reader's) and what to close
     * with it; the gateway owns {@code auth.resources()} from here on.
     */
    public static IngestGateway start(GatewayConfig config, Authenticators.Chosen auth) {
        try {
            IngestGateway gateway = start(config, auth.authenticator(), auth.ready(), auth.resources());
            awaitAuthReady(auth.ready());
            return gateway;
        } catch (RuntimeException e) {
            closeQuietly(auth.resources());
            throw e;
        }
    }

    /**
     * Returns once the device registry has been read (normally well under a second), so the first
     * upload is not refused 503 for it; if Kafka is away, returns after the wait and stays not ready.
     */
    private static void awaitAuthReady(BooleanSupplier authReady) {
        long deadline = System.nanoTime() + AUTH_READY_WAIT.toNanos();
        while (!authReady.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                LOG.warn("event=registry_not_loaded waited_ms={}", AUTH_READY_WAIT.toMillis());
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Starts with the given authenticator, whatever {@code gateway.auth-mode} says. */
    public static IngestGateway start(GatewayConfig config, DeviceAuthenticator authenticator) {
        return start(config, authenticator, () -> true, () -> { });
    }

    private static IngestGateway start(GatewayConfig config, DeviceAuthenticator authenticator,
                                       BooleanSupplier authReady, AutoCloseable authResources) {
        PrometheusMeterRegistry registry = ServiceMeters.registry();
        Semaphore inFlight = new Semaphore(config.maxInFlightRecords());
        GatewayMetrics metrics = new GatewayMetrics(registry,
                () -> config.maxInFlightRecords() - inFlight.availablePermits());
        KafkaReachability reachability = KafkaReachability.start(config.kafka(), Duration.ofSeconds(1));
        TelemetryPublisher publisher = TelemetryPublisher.create(config.kafka(), config.produceTimeout(),
                config.producer()).withMetrics(registry);
        AtomicBoolean accepting = new AtomicBoolean(false);
        RequestGate gate = new RequestGate();
        ExecutorService responder = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads("gateway-respond"));
        // the HTTP limit leaves room for gzip framing; the decoded limit is enforced by UploadReader
        BooleanSupplier ready = () -> accepting.get() && reachability.reachable() && authReady.getAsBoolean();
        Javalin app = HttpServers.create("ingest-gateway", registry, ready, config.maxBatchBytes() + 64L * 1024, c ->
                TlsConnector.install(c, config.tls(), config.host(), config.port()));
        TelemetryHandler telemetry = new TelemetryHandler(new UploadReader(config.maxBatchBytes()),
                new BatchParser(config.maxBatchRecords()), authenticator,
                new DeviceRateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), Clock.systemUTC()),
                publisher, () -> reachability.reachable() && authReady.getAsBoolean(), gate, inFlight, config.produceTimeout(), Clock.systemUTC(),
                metrics, responder, config.maxTimestampAhead());
        app.post(TELEMETRY_PATH, telemetry);
        app.after(TELEMETRY_PATH, ctx -> metrics.request(ctx.statusCode()));
        TableRegistryCache tableRegistry = TableRegistryCache.start(config.kafka());
        TableRowPublisher tablePublisher = TableRowPublisher.create(config.kafka(), config.produceTimeout());
        app.post(TABLES_PATH, new TableRowsHandler(new TableRowsHandler.Wiring(new UploadReader(config.maxBatchBytes()),
                config.maxBatchRecords(), authenticator,
                new DeviceRateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), Clock.systemUTC()), gate,
                inFlight, config.produceTimeout(), Clock.systemUTC(), metrics, responder,
                () -> reachability.reachable() && authReady.getAsBoolean()), tableRegistry, tablePublisher));
        app.after(TABLES_PATH, ctx -> metrics.request(ctx.statusCode()));
        AutoCloseable resources = () -> {
            tablePublisher.close();
            tableRegistry.close();
            authResources.close();
        };
        IngestGateway gateway = new IngestGateway(config, app, publisher, ready, resources, accepting, gate,
                metrics, responder, reachability);
        try {
            TlsConnector.start(app, config.tls(), config.host(), config.port());
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        accepting.set(true);
        LOG.info("event=gateway_started url={} auth={} tls={}", gateway.url(), config.authMode(),
                config.tls().mode());
        return gateway;
    }

    /** Records acknowledged by Kafka and answered 200, since start. */
    public long acceptedRecords() {
        return (long) metrics.acceptedTotal();
    }

    /** Ready: accepting requests, Kafka reachable, and the device registry read. */
    public boolean ready() {
        return ready.getAsBoolean();
    }

    /** Requests admitted and not yet answered. */
    public int requestsInFlight() {
        return gate.active();
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return (config.tls().enabled() ? "https" : "http") + "://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        accepting.set(false);
        try {
            if (!gate.closeAndDrain(config.drainTimeout())) {
                LOG.warn("event=gateway_drain_timeout requests_left={}", gate.active());
            }
            // a request leaves the gate just before Javalin writes its answer on the same thread;
            // give those answers a moment to reach the wire before Jetty closes the connections
            Thread.sleep(RESPONSE_WRITE_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        publisher.flush();
        publisher.close();
        responder.shutdown();
        reachability.close();
        closeQuietly(authResources);
        LOG.info("event=gateway_stopped");
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("event=close_failed error={}", e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
