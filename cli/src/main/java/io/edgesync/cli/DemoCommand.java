package io.edgesync.cli;

import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgesync demo}: the whole system on embedded defaults, with a simulated fleet. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts Kafka, PostgreSQL and the four services in one process, runs a simulated fleet of "
            + "real edge agents (each with its own SQLite file), prints progress and a summary. Stops "
            + "cleanly on Ctrl-C or SIGTERM.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--devices", description = "Simulated devices (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int devices;

    @Option(names = "--records-per-device", description = "Readings each device writes (default: ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int recordsPerDevice;

    @Option(names = "--rate", description = "Readings per device per second (default: ${DEFAULT-VALUE}).",
            defaultValue = "20")
    int rate;

    @Option(names = "--timeout", description = "Seconds to wait for every record to reach the database"
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "180")
    int timeoutSeconds;

    @Option(names = "--data-dir", description = "Data directory (default: a new temporary one, removed at exit).")
    Path dataDir;

    @Option(names = "--exit", description = "Exit after the summary instead of serving until Ctrl-C.")
    boolean exitWhenDone;

    @Override
    public Integer call() throws Exception {
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("edgesync-demo-") : dataDir.toAbsolutePath();
        // the demo shows EdgeSync's warnings only, unless EDGESYNC_LOG_LEVEL asks for more
        Logging.apply(io.edgesync.shared.config.ConfigSource.load(null, System.getenv()),
                System.getenv().containsKey(Logging.LEVEL.envName()) ? null : org.apache.logging.log4j.Level.WARN);
        try (Lifecycle lifecycle = Lifecycle.install()) {
            if (temporary) {
                lifecycle.manage(() -> TempDirs.deleteRecursively(dir));
            }
            System.out.println("starting Kafka, PostgreSQL and the control plane in " + dir + " ...");
            ControlPlane plane = lifecycle.manage(ControlPlane.start(
                    new ControlPlane.Options(dir, 0, 0, 0, 0, null, !temporary)));
            System.out.print(plane.addressLines());
            SimulatedFleet fleet = lifecycle.manage(new SimulatedFleet(dir.resolve("fleet"), devices, recordsPerDevice,
                    plane.gatewayUrl(), plane.dispatcherUrl(), new SimulatedFleet.FleetCredentials(
                            plane.credentials().enrollmentKey(), plane.credentials().operatorToken())));
            System.out.printf("fleet: %d devices x %d readings, %d readings/s each%n", devices, recordsPerDevice, rate);
            DemoFunction.deploy(plane.dispatcherUrl(), plane.credentials().operatorToken(), FleetEnrollment.DEVICE_TYPE);
            fleet.start();
            long running = awaitFunction(fleet, lifecycle);
            System.out.printf("edge function: %s %s (examples/functions/tag.wat) deployed to device type %s,"
                    + " running on %d of %d devices%n", DemoFunction.NAME, DemoFunction.VERSION,
                    FleetEnrollment.DEVICE_TYPE, running, devices);
            long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
            long expected = (long) devices * recordsPerDevice;
            long lastPrint = 0;
            int perTick = Math.max(1, rate / 10);
            boolean writing = true;
            Counts counts = null;
            while (!lifecycle.stopRequested() && System.currentTimeMillis() < deadline) {
                if (writing) {
                    writing = fleet.writeRound(perTick);
                }
                if (System.currentTimeMillis() - lastPrint >= 1000) {
                    lastPrint = System.currentTimeMillis();
                    counts = Counts.read(plane, fleet);
                    System.out.println(counts.progressLine());
                    if (!writing && counts.inDatabase() >= expected && fleet.pending() == 0) {
                        break;
                    }
                }
                if (lifecycle.awaitStop(100)) {
                    break;
                }
            }
            if (lifecycle.stopRequested()) {
                return 0;
            }
            counts = Counts.read(plane, fleet);
            System.out.println(counts.summary());
            System.out.print(plane.addressLines());
            if (!exitWhenDone) {
                System.out.println("the control plane keeps running: press Ctrl-C to stop");
                lifecycle.awaitStop();
            }
            return counts.complete() ? 0 : 1;
        }
    }

    /** Waits (at most 60 s) until every agent's first sync plan installed the demo function; answers how many run it. */
    private static long awaitFunction(SimulatedFleet fleet, Lifecycle lifecycle) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        long running = fleet.running(DemoFunction.NAME);
        while (running < fleet.size() && System.currentTimeMillis() < deadline && !lifecycle.awaitStop(200)) {
            running = fleet.running(DemoFunction.NAME);
        }
        return running;
    }

    /** What the demo reports, read from each stage. */
    record Counts(long written, long accepted, long inRaw, long inDatabase, long distinctInDatabase, long pending,
                  long transformed, long flagged) {
        static Counts read(ControlPlane plane, SimulatedFleet fleet) throws SQLException {
            long[] db = databaseCounts(plane.jdbcUrl());
            return new Counts(fleet.written(), plane.gateway().acceptedRecords(), topicRecords(plane.kafkaBootstrap()),
                    db[0], db[1], fleet.pending(), db[2], db[3]);
        }

        boolean complete() {
            return written > 0 && inDatabase == written && distinctInDatabase == written && pending == 0;
        }

        String progressLine() {
            return String.format("progress: written at edges=%d pending at edges=%d accepted by gateway=%d"
                    + " in telemetry.raw=%d in telemetry_data=%d", written, pending, accepted, inRaw, inDatabase);
        }

        String summary() {
            return String.join(System.lineSeparator(),
                    "summary:",
                    "  records written at the edges:   " + written,
                    "  accepted by the gateway:        " + accepted,
                    "  in telemetry.raw:               " + inRaw,
                    "  in telemetry_data:              " + inDatabase + " (" + distinctInDatabase + " distinct)",
                    "  transformed at the edge by tag: " + transformed + " (+" + flagged
                            + " kept as written, flagged in metadata.edgeFunctionError after a function failure)",
                    "  every record written at the edges is in telemetry_data exactly once: "
                            + (complete() ? "yes" : "NO"));
        }

        private static long[] databaseCounts(String jdbcUrl) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(
                         "SELECT count(*), count(DISTINCT (device_id, id)), count(CASE WHEN"
                                 + " metadata->>'edgeFn' = 'tag' THEN 1 END),"
                                 + " count(CASE WHEN metadata->'edgeFunctionError' IS NOT NULL THEN 1 END) FROM telemetry_data")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        }

        private static long topicRecords(String bootstrap) {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    KafkaClients.of(bootstrap).consumer(Map.of()),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.TELEMETRY_RAW.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
                return consumer.endOffsets(partitions).entrySet().stream()
                        .mapToLong(e -> e.getValue() - begin.get(e.getKey())).sum();
            }
        }
    }
}
