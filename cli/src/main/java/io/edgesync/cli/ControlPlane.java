package io.edgesync.cli;

import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.PostgresServer;
import io.edgesync.embedded.S3Server;
import io.edgesync.gateway.GatewayConfig;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole control plane in one process on the embedded defaults: a real Kafka broker, a real
 * PostgreSQL, a real S3-compatible store for function artifacts (S3Proxy in a child JVM, its log in
 * {@code s3/s3proxy.log} of the data directory), and the four services. Used by {@code edgesync local} and {@code edgesync demo}.
 * Devices authenticate as in production: the gateway verifies ES256 device tokens that the
 * dispatcher issues (enrol with the printed enrollment key), with the key pair kept in the data directory.
 * Closing stops everything in reverse order of start.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    /** Where and on which ports to run; port 0 picks a free one. */
    public record Options(Path dataDir, int gatewayPort, int dispatcherPort, int kafkaPort, int postgresPort,
                          String externalJdbcUrl, boolean persistent) {
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private KafkaBroker kafka;
    private S3Server s3;
    private String jdbcUrl;
    private IngestGateway gateway;
    private CommandDispatcher dispatcher;
    private CockroachSink sink;
    private StreamProcessor processor;
    private LocalCredentials credentials;

    public static ControlPlane start(Options options) {
        ControlPlane plane = new ControlPlane();
        try {
            plane.startAll(options);
            return plane;
        } catch (RuntimeException e) {
            plane.close();
            throw e;
        }
    }

    private void startAll(Options o) {
        kafka = KafkaBroker.start(o.dataDir().resolve("kafka"), o.kafkaPort());
        started.push(kafka);
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), 3, (short) 1);
        if (o.externalJdbcUrl() != null) {
            jdbcUrl = o.externalJdbcUrl();
        } else {
            Path binaries = Path.of(System.getProperty("user.home"), ".edgesync", "pg-binaries");
            PostgresServer pg = PostgresServer.start(o.dataDir().resolve("postgres"), binaries, o.postgresPort(),
                    o.persistent());
            started.push(pg);
            jdbcUrl = pg.jdbcUrl();
        }
        s3 = S3Server.start(o.dataDir().resolve("s3"), 0);
        started.push(s3);
        credentials = LocalCredentials.loadOrCreate(o.dataDir());
        ConfigSource common = ConfigSource.of(Map.ofEntries(
                Map.entry("dispatcher.signing-key-file", credentials.signingKeyFile().toString()),
                Map.entry("dispatcher.operator-token", credentials.operatorToken()),
                Map.entry("dispatcher.enrollment-key", credentials.enrollmentKey()),
                // the simulated fleet of demo enrols all its devices at once with the fleet key
                Map.entry("dispatcher.enrollment-key-rate-limit", "100000"),
                Map.entry("kafka.bootstrap-servers", kafka.bootstrapServers()),
                Map.entry("database.jdbc-url", jdbcUrl),
                Map.entry("storage.s3.endpoint", s3.endpoint()),
                Map.entry("storage.s3.access-key", S3Server.ACCESS_KEY),
                Map.entry("storage.s3.secret-key", S3Server.SECRET_KEY),
                Map.entry("gateway.port", Integer.toString(o.gatewayPort())),
                Map.entry("dispatcher.port", Integer.toString(o.dispatcherPort())),
                Map.entry("processor.port", "0"),
                Map.entry("sink.port", "0"),
                Map.entry("gateway.auth-mode", "jwt"),
                Map.entry("gateway.jwt-public-key-file", credentials.publicKeyFile().toString()),
                Map.entry("processor.state-dir", o.dataDir().resolve("streams").toString())));
        dispatcher = CommandDispatcher.start(DispatcherConfig.from(common));
        started.push(dispatcher);
        sink = CockroachSink.start(SinkConfig.from(common));
        started.push(sink);
        processor = StreamProcessor.start(ProcessorConfig.from(common));
        started.push(processor);
        awaitRunning(processor);
        gateway = IngestGateway.start(GatewayConfig.from(common));
        started.push(gateway);
        awaitReady(gateway);
    }

    /** The gateway is ready once it reaches Kafka and has read device.registry to its end. */
    private static void awaitReady(IngestGateway gateway) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!gateway.ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway did not become ready within 60 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the gateway", e);
            }
        }
    }

    private static void awaitRunning(StreamProcessor processor) {
        try {
            if (!processor.awaitRunning(java.time.Duration.ofSeconds(120))) {
                throw new IllegalStateException("the stream processor did not start: " + processor.state());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the stream processor", e);
        }
    }

    public String gatewayUrl() {
        return gateway.url();
    }

    public String dispatcherUrl() {
        return dispatcher.url();
    }

    /** Base URL of each service's {@code /health} and {@code /metrics}: gateway, dispatcher, sink, processor. */
    public Map<String, String> serviceUrls() {
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        urls.put("gateway", gatewayUrl());
        urls.put("dispatcher", dispatcherUrl());
        urls.put("sink", sink.url());
        urls.put("processor", processor.url());
        return urls;
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The dispatcher's public key (JWK) that verifies device tokens: the gateway's gateway.jwt-public-key-file. */
    public Path publicKeyFile() {
        return credentials.publicKeyFile();
    }

    public LocalCredentials credentials() {
        return credentials;
    }

    public IngestGateway gateway() {
        return gateway;
    }

    /** The address lines scripts parse: exactly {@code name=value}, one per line. */
    public String addressLines() {
        return "gateway=" + gatewayUrl() + "\n"
                + "dispatcher=" + dispatcherUrl() + "\n"
                + "kafka=" + kafkaBootstrap() + "\n"
                + "jdbc=" + jdbcUrl() + "\n"
                + "s3=" + s3.endpoint() + "\n"
                + "operator-token=" + credentials.operatorToken() + "\n"
                + "enrollment-key=" + credentials.enrollmentKey() + "\n";
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("event=stop_failed component={} reason=\"{}\"", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
