package io.edgesync.dispatcher;

import com.zaxxer.hikari.HikariDataSource;
import io.edgesync.shared.db.Database;
import io.edgesync.shared.http.HttpServers;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command dispatcher service: device registry, commands and config, served to devices. */
public final class CommandDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private final Javalin app;
    private final HikariDataSource dataSource;
    private final AtomicBoolean ready;

    private CommandDispatcher(Javalin app, HikariDataSource dataSource, AtomicBoolean ready) {
        this.app = app;
        this.dataSource = dataSource;
        this.ready = ready;
    }

    public static CommandDispatcher start(DispatcherConfig config) {
        HikariDataSource dataSource = Database.pool(config.jdbcUrl(), config.poolSize(), "command-dispatcher");
        Database.migrate(dataSource);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicBoolean ready = new AtomicBoolean(false);
        Javalin app = HttpServers.create("command-dispatcher", metrics, ready::get, 1024 * 1024);
        app.start(config.host(), config.port());
        ready.set(true);
        CommandDispatcher dispatcher = new CommandDispatcher(app, dataSource, ready);
        LOG.info("event=dispatcher_started url={}", dispatcher.url());
        return dispatcher;
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
        dataSource.close();
        LOG.info("event=dispatcher_stopped");
    }
}
