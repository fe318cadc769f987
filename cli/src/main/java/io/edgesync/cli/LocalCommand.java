package io.edgesync.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgesync local}: the control plane on embedded Kafka and PostgreSQL, for trying the API by hand. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Runs the control plane (Kafka, PostgreSQL, gateway, stream processor, sink, dispatcher) in "
            + "one process. Prints one line per address (name=value) once ready; data survives restarts "
            + "with the same --data-dir. Stops on Ctrl-C or SIGTERM.")
final class LocalCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Data directory (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:user.home}/.edgesync/local")
    Path dataDir;

    @Option(names = "--gateway-port", description = "Gateway HTTP port (default: ${DEFAULT-VALUE}).", defaultValue = "7070")
    int gatewayPort;

    @Option(names = "--dispatcher-port", description = "Dispatcher HTTP port (default: ${DEFAULT-VALUE}).",
            defaultValue = "7071")
    int dispatcherPort;

    @Option(names = "--kafka-port", description = "Kafka port (default: ${DEFAULT-VALUE}).", defaultValue = "9092")
    int kafkaPort;

    @Option(names = "--postgres-port", description = "PostgreSQL port (default: ${DEFAULT-VALUE}).",
            defaultValue = "15432")
    int postgresPort;

    @Option(names = "--jdbc-url", description = "Use this CockroachDB or PostgreSQL instead of the embedded one.")
    String jdbcUrl;

    @Override
    public Integer call() throws InterruptedException {
        ControlPlane.Options options = new ControlPlane.Options(dataDir.toAbsolutePath(), gatewayPort, dispatcherPort,
                kafkaPort, postgresPort, jdbcUrl, true);
        Logging.apply(io.edgesync.shared.config.ConfigSource.load(null, System.getenv()));
        try (Lifecycle lifecycle = Lifecycle.install()) {
            ControlPlane plane = lifecycle.manage(ControlPlane.start(options));
            System.out.print(plane.addressLines());
            System.out.println("ready: press Ctrl-C to stop");
            System.out.flush();
            lifecycle.awaitStop();
        }
        return 0;
    }
}
