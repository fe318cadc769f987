package io.edgesync.cli;

import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgesync serve <service>}: runs one control-plane service on its own, against an external
 * Kafka and database, as in production (see compose/). Configuration: defaults, then the YAML file,
 * then {@code EDGESYNC_*} environment variables (docs/configuration.md).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs one service (gateway, processor, sink, dispatcher) against an external Kafka and "
            + "database. Configuration: defaults < --config YAML < EDGESYNC_* environment variables. "
            + "Stops cleanly on Ctrl-C or SIGTERM (exit 0); exits 1 when the service fails (serve.max-unready).")
final class ServeCommand implements Callable<Integer> {
    enum Service { gateway, processor, sink, dispatcher, archiver }

    @Parameters(index = "0", description = "The service: ${COMPLETION-CANDIDATES}.")
    Service service;

    @Option(names = "--config", description = "YAML configuration file.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        ConfigSource config = ConfigSource.load(configFile, System.getenv());
        Logging.apply(config);
        try (Lifecycle lifecycle = Lifecycle.install()) {
            lifecycle.stopOnSignals(60_000);
            Supervisor.Health health = switch (service) {
                case gateway -> {
                    IngestGateway g = lifecycle.manage(IngestGateway.start(config));
                    yield new Supervisor.Health("ingest-gateway", () -> true, g::ready);
                }
                case processor -> {
                    StreamProcessor p = lifecycle.manage(StreamProcessor.start(ProcessorConfig.from(config)));
                    yield new Supervisor.Health("stream-processor", p::live, p::ready);
                }
                case sink -> {
                    CockroachSink s = lifecycle.manage(CockroachSink.start(SinkConfig.from(config)));
                    yield new Supervisor.Health("cockroach-sink", s::live, s::ready);
                }
                case archiver -> {
                    io.edgesync.sink.archive.RawArchiver a = lifecycle.manage(io.edgesync.sink.archive.RawArchiver
                            .start(io.edgesync.sink.archive.ArchiveConfig.from(config)));
                    yield new Supervisor.Health("raw-archiver", a::live, a::live);
                }
                case dispatcher -> {
                    CommandDispatcher d = lifecycle.manage(CommandDispatcher.start(DispatcherConfig.from(config)));
                    yield new Supervisor.Health("command-dispatcher", () -> true, d::ready);
                }
            };
            Supervisor supervisor = new Supervisor(health, config);
            System.out.println(service + " running: press Ctrl-C to stop");
            return supervisor.await(lifecycle);
        }
    }
}
