package io.edgesync.gateway;

import io.edgesync.gateway.api.GatewayMetrics;
import io.edgesync.gateway.api.TelemetryHandler;
import io.edgesync.gateway.api.UploadReader;
import io.edgesync.gateway.auth.DeviceAuthenticator;
import io.edgesync.gateway.kafka.TelemetryPublisher;
import io.edgesync.shared.http.HttpServers;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest gateway service: HTTP in, {@code telemetry.raw} out. */
public final class IngestGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestGateway.class);

    private final Javalin app;
    private final TelemetryPublisher publisher;
    private final AtomicBoolean ready;
    private final PrometheusMeterRegistry metrics;

    private IngestGateway(Javalin app, TelemetryPublisher publisher, AtomicBoolean ready,
                          PrometheusMeterRegistry metrics) {
        this.app = app;
        this.metrics = metrics;
        this.publisher = publisher;
        this.ready = ready;
    }

    public static IngestGateway start(GatewayConfig config, DeviceAuthenticator authenticator) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TelemetryPublisher publisher = TelemetryPublisher.create(config.kafkaBootstrap(), config.produceTimeout());
        AtomicBoolean readyFlag = new AtomicBoolean(false);
        // the HTTP limit leaves room for gzip framing; the decoded limit is enforced by UploadReader
        Javalin app = HttpServers.create("ingest-gateway", metrics, readyFlag::get, config.maxBatchBytes() + 64L * 1024);
        TelemetryHandler telemetry = new TelemetryHandler(new UploadReader(config.maxBatchBytes()), authenticator,
                publisher, config.maxBatchRecords(), config.maxInFlightRecords(), config.produceTimeout(),
                Clock.systemUTC(), metrics);
        app.post("/api/v1/sync/telemetry", telemetry);
        app.start(config.host(), config.port());
        IngestGateway gateway = new IngestGateway(app, publisher, readyFlag, metrics);
        readyFlag.set(true);
        LOG.info("event=gateway_started url={}", gateway.url());
        return gateway;
    }

    /** Records acknowledged by Kafka and answered 200, since start. */
    public long acceptedRecords() {
        return (long) metrics.counter(GatewayMetrics.RECORDS_ACCEPTED).count();
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        ready.set(false);
        app.stop();
        publisher.flush();
        publisher.close();
        LOG.info("event=gateway_stopped");
    }
}
