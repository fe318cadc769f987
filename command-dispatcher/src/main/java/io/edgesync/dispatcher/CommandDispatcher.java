package io.edgesync.dispatcher;

import com.nimbusds.jose.jwk.ECKey;
import com.zaxxer.hikari.HikariDataSource;
import io.edgesync.dispatcher.api.AuditRoutes;
import io.edgesync.dispatcher.api.CommandGroupRoutes;
import io.edgesync.dispatcher.api.CommandRoutes;
import io.edgesync.dispatcher.api.ConfigRoutes;
import io.edgesync.dispatcher.api.DeviceRoutes;
import io.edgesync.dispatcher.api.EnrollmentCodeRoutes;
import io.edgesync.dispatcher.api.Errors;
import io.edgesync.dispatcher.api.FunctionRoutes;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.dispatcher.function.FunctionService;
import io.edgesync.dispatcher.function.S3ObjectStore;
import io.edgesync.dispatcher.api.NodeRoutes;
import io.edgesync.dispatcher.api.OperatorTokenRoutes;
import io.edgesync.dispatcher.api.SchemaRoutes;
import io.edgesync.dispatcher.schema.SchemaService;
import io.edgesync.dispatcher.schema.SchemaValidator;
import io.edgesync.dispatcher.api.DeploymentRoutes;
import io.edgesync.dispatcher.deploy.DeploymentService;
import io.edgesync.dispatcher.sync.SyncService;
import io.edgesync.dispatcher.ui.WebConsole;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.OperatorTokenStore;
import io.edgesync.dispatcher.auth.OperatorTokens;
import io.edgesync.dispatcher.command.CommandGroups;
import io.edgesync.dispatcher.command.CommandService;
import io.edgesync.dispatcher.command.LongPoll;
import io.edgesync.dispatcher.config.ConfigService;
import io.edgesync.dispatcher.device.DeviceService;
import io.edgesync.dispatcher.device.DeviceStore;
import io.edgesync.dispatcher.enroll.EnrollmentCodes;
import io.edgesync.dispatcher.enroll.EnrollmentGate;
import io.edgesync.dispatcher.events.CommandWakeups;
import io.edgesync.dispatcher.events.EventPublisher;
import io.edgesync.dispatcher.events.OutboxRelay;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.db.Database;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.http.BoundedBody;
import io.edgesync.shared.http.HttpServers;
import io.edgesync.shared.tls.TlsConnector;
import io.edgesync.shared.tls.TlsSettings;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.edgesync.dispatcher.ops.FleetGauges;
import io.edgesync.shared.metrics.ServiceMeters;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command dispatcher service: device registry, commands and config, served to devices. */
public final class CommandDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final int SWEEP_BATCH = 500;
    private static final Duration WAKEUPS_START = Duration.ofSeconds(5);

    /** The largest JSON request body of any endpoint, declared or chunked (413 past it). */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private final Javalin app;
    private final TlsSettings tls;
    private final AtomicBoolean ready;
    private final Deque<AutoCloseable> resources;

    private CommandDispatcher(Javalin app, TlsSettings tls, AtomicBoolean ready, Deque<AutoCloseable> resources) {
        this.app = app;
        this.tls = tls;
        this.ready = ready;
        this.resources = resources;
    }

    public static CommandDispatcher start(DispatcherConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** @param clock decides TTLs, visibility timeouts, offline status and token lifetimes */
    public static CommandDispatcher start(DispatcherConfig config, Clock clock) {
        ECKey key = Tokens.readKey(config.signingKeyFile());
        if (!key.isPrivate()) {
            throw new ConfigException("invalid key " + DispatcherConfig.SIGNING_KEY_FILE.key() + ": "
                    + config.signingKeyFile() + " holds no private key; accepted: a JWK with an EC P-256 private key");
        }
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            return start(config, clock, key, resources);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static CommandDispatcher start(DispatcherConfig config, Clock clock, ECKey key,
                                           Deque<AutoCloseable> resources) {
        PrometheusMeterRegistry metrics = ServiceMeters.registry();
        resources.push(metrics::close);
        HikariDataSource dataSource = Database.pool(config.jdbcUrl(), config.poolSize(), "command-dispatcher",
                config.dbTimeouts(), config.dbTls(), metrics);
        resources.push(dataSource);
        Database.migrate(dataSource);
        Transactions tx = new Transactions(dataSource, 8, Duration.ofMillis(10), metrics);
        EventPublisher events = new EventPublisher(config.kafka());
        resources.push(events);
        KafkaClientMetrics producerMetrics = events.meters();
        producerMetrics.bindTo(metrics);
        resources.push(producerMetrics);
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.poolSize(), config.poolSize(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), threads("dispatcher-poll-"));
        resources.push(() -> {
            workers.shutdown();
            workers.awaitTermination(10, TimeUnit.SECONDS);
        });
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(threads("dispatcher-timer-"));
        resources.push(timer::shutdownNow);

        DeviceStore store = new DeviceStore(tx);
        Tokens.Verifier verifier = new Tokens.Verifier(key.toPublicJWK(), clock);
        OutboxRelay relay = new OutboxRelay(tx, events::send, config.security().outboxSweep()).start();
        resources.push(relay);
        DeviceService devices = new DeviceService(store, new Tokens.Issuer(key, clock), verifier, relay,
                config.security().publishWait(), clock, config.deviceTokenTtl(), config.offlineAfter());
        AtomicReference<LongPoll> poll = new AtomicReference<>();
        CommandService commands = new CommandService(tx, events, id -> poll.get().signal(id), clock,
                new CommandService.Timing(config.defaultCommandTtl(), config.maxCommandTtl(),
                        config.visibilityTimeout(), config.maxCommandsPerPoll()));
        LongPoll longPoll = new LongPoll(commands::deliver, workers, timer, config.maxPollsPerDevice());
        poll.set(longPoll);
        CommandWakeups wakeups = new CommandWakeups(() -> EventPublisher.wakeupConsumer(config.kafka()),
                longPoll::signal, timer, config.visibilityTimeout()).start();
        resources.push(wakeups);
        awaitWakeups(wakeups);
        OperatorTokenStore operatorTokenStore = new OperatorTokenStore(tx);
        EnrollmentCodes enrollmentCodes = new EnrollmentCodes(tx, clock, config.enrollment().codeTtl(),
                new java.security.SecureRandom());
        Authenticator auth = new Authenticator(verifier, store, operatorTokenStore, enrollmentCodes,
                config.enrollmentKey(), config.operatorToken(), config.tls().mutual());

        metrics.gauge(DispatcherMetrics.LONG_POLLS_WAITING, longPoll, LongPoll::waiting);
        io.micrometer.core.instrument.FunctionCounter.builder(DispatcherMetrics.LONG_POLLS_REFUSED, longPoll,
                LongPoll::refused).register(metrics);
        metrics.gauge(DispatcherMetrics.POLL_QUEUE, workers, w -> w.getQueue().size());
        Counter expired = metrics.counter(DispatcherMetrics.COMMANDS_EXPIRED);
        AtomicBoolean ready = new AtomicBoolean(false);
        long maxFunction = config.storage().maxFunctionBytes();
        Javalin app = HttpServers.create("command-dispatcher", metrics, ready::get, MAX_BODY_BYTES, jc -> {
            jc.jetty.multipartConfig.maxFileSize(maxFunction + 1, io.javalin.config.SizeUnit.BYTES);
            jc.jetty.multipartConfig.maxTotalRequestSize(maxFunction + 64 * 1024, io.javalin.config.SizeUnit.BYTES);
            jc.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            TlsConnector.install(jc, config.tls(), config.host(), config.port());
            WebConsole.configure(jc);
        });
        // every JSON body read within 1 MiB before routing, chunked or not; the upload streams its multipart
        // body within functions.max-size-bytes (Jetty's multipart limits above)
        BoundedBody.install(app, MAX_BODY_BYTES, Set.of(FunctionRoutes.UPLOAD));
        Errors.install(app);
        WebConsole.install(app);
        AuditLog audit = new AuditLog(tx, relay);
        new AuditRoutes(auth, audit, clock).install(app);
        EnrollmentGate gate = new EnrollmentGate(config.enrollment().keyIdPrefix(),
                config.enrollment().keyRatePerMinute(), clock);
        DeviceRoutes deviceRoutes = new DeviceRoutes(auth, devices, gate, audit, clock);
        deviceRoutes.install(app);
        FunctionService functions = new FunctionService(tx, new S3ObjectStore(config.storage()), clock,
                config.storage().downloadUrlTtl());
        DeploymentService deployments = new DeploymentService(tx, functions, clock);
        new FunctionRoutes(auth, functions, maxFunction).install(app);
        new DeploymentRoutes(auth, deployments).install(app);
        SyncService sync = new SyncService(tx, deployments.targets(), clock, SyncService.PLAN_TTL,
                config.offlineAfter());
        new NodeRoutes(auth, devices, sync, deviceRoutes, gate).install(app);
        new EnrollmentCodeRoutes(auth, enrollmentCodes).install(app);
        new SchemaRoutes(auth, new SchemaService(tx, new SchemaValidator(), clock, () -> { })).install(app);
        new CommandRoutes(auth, commands, longPoll, config.maxLongPoll()).install(app);
        new CommandGroupRoutes(auth, new CommandGroups(tx, events, id -> poll.get().signal(id), clock, commands,
                config.groups().batchSize(), config.groups().maxDevices())).install(app);
        new ConfigRoutes(auth, new ConfigService(tx, clock)).install(app);
        new OperatorTokenRoutes(auth, new OperatorTokens(operatorTokenStore, new Tokens.Issuer(key, clock), clock,
                config.credentials().operatorTokenTtl())).install(app);

        FleetGauges fleet = new FleetGauges(tx, clock, config.offlineAfter(), metrics);
        refreshFleet(fleet);
        timer.scheduleWithFixedDelay(() -> refreshFleet(fleet), FleetGauges.INTERVAL.toMillis(),
                FleetGauges.INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        long sweep = config.expirySweepInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> expire(commands, expired), sweep, sweep, TimeUnit.MILLISECONDS);
        TlsConnector.start(app, config.tls(), config.host(), config.port());
        resources.push(app::stop);
        resources.push(longPoll);
        ready.set(true);
        CommandDispatcher dispatcher = new CommandDispatcher(app, config.tls(), ready, resources);
        LOG.info("event=dispatcher_started url={} tls={}", dispatcher.url(), config.tls().mode());
        return dispatcher;
    }

    /** Commands created elsewhere after start wake this instance's polls once the reader holds command.events. */
    private static void awaitWakeups(CommandWakeups wakeups) {
        try {
            if (!wakeups.awaitAssigned(WAKEUPS_START)) {
                LOG.warn("event=command_wakeups_not_ready waited_ms={} effect=\"polls woken only by commands created "
                        + "on this instance until command.events is reachable\"", WAKEUPS_START.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void refreshFleet(FleetGauges fleet) {
        try {
            fleet.refresh();
        } catch (Exception e) {
            LOG.warn("event=fleet_gauges_failed error={}", e.getClass().getSimpleName());
        }
    }

    private static void expire(CommandService commands, Counter expired) {
        try {
            int n;
            do {
                n = commands.expireAllDue(SWEEP_BATCH);
                expired.increment(n);
            } while (n == SWEEP_BATCH);
        } catch (Exception e) {
            LOG.warn("event=expiry_sweep_failed reason=\"{}\"", e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The HTTP server, for tests in this package that go through every route it has. */
    Javalin app() {
        return app;
    }

    public int port() {
        return app.port();
    }

    /** What {@code /health/ready} answers: started and not closing. */
    public boolean ready() {
        return ready.get();
    }

    public String url() {
        return (tls.enabled() ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /** Readiness goes false first; then the HTTP server stops, polls end, and Kafka and the pool close. */
    @Override
    public void close() {
        ready.set(false);
        closeAll(resources);
        LOG.info("event=dispatcher_stopped");
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable c = resources.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("event=stop_failed reason=\"{}\"", e.toString());
            }
        }
    }
}
