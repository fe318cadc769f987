package io.edgesync.cli.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.PostgresServer;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.db.Database;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgesync bench sink}: rows/s the sink commits from a preloaded {@code telemetry.clean},
 * next to a plain COPY, plain batched upserts and COPY-then-merge of the same rows into the same
 * PostgreSQL server in the same run (each into its own freshly migrated database).
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Sink rows/s from telemetry.clean next to plain COPY and plain batched upserts.")
public final class SinkBench implements Callable<Integer> {
    private static final String COPY = "plain COPY, one stream";
    private static final String UPSERT = "plain batched upsert (rewritten, 1 tx/batch)";
    private static final String UNNEST = "unnest upsert, the sink's SQL, no Kafka";
    private static final String MERGE = "COPY to staging + merge (1 tx/batch)";
    private static final String READ = "consume + decode only, no database";
    private static final String SINK = "sink, start to last commit";
    private static final String SINK_STEADY = "sink, first to last commit";

    @Option(names = "--records", defaultValue = "200000", description = "Records preloaded (default ${DEFAULT-VALUE}).")
    int records;
    @Option(names = "--devices", defaultValue = "200", description = "Distinct devices (default ${DEFAULT-VALUE}).")
    int devices;
    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; medians are reported (default ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--batch-rows", defaultValue = "1000", description = "Rows per transaction (default ${DEFAULT-VALUE}).")
    int batchRows;

    @Override
    public Integer call() throws Exception {
        Path dir = TempDirs.create("bench-sink-");
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0);
             PostgresServer pg = PostgresServer.start(dir.resolve("pg"), Path.of(System.getProperty("java.io.tmpdir"),
                     "pg-binaries"), 0, false)) {
            JdbcUrls urls = new JdbcUrls(pg.jdbcUrl(), pg::jdbcUrl);
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), 3, (short) 1);
            List<TelemetryRecord> rows = generate();
            long t = System.nanoTime();
            preload(kafka.bootstrapServers(), rows);
            System.out.printf("sink bench: %,d records from %d devices, %d rows per transaction, PostgreSQL %s "
                    + "(embedded, fsync off), Kafka in process, %d cores%n", records, devices, batchRows,
                    version(urls), Runtime.getRuntime().availableProcessors());
            line("preload telemetry.clean (producer)", records, System.nanoTime() - t);

            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("round %d of %d%n", round, rounds);
                String r = "_" + round;
                if (round % 2 == 0) {
                    sinkRound(rates, kafka.bootstrapServers(), urls, round); // alternate the order: load drifts
                }
                rates.computeIfAbsent(COPY, k -> new ArrayList<>()).add(measure(urls, "bench_copy" + r, COPY,
                        ds -> SinkBaselines.plainCopy(ds, rows)));
                rates.computeIfAbsent(UPSERT, k -> new ArrayList<>()).add(measure(urls, "bench_upsert" + r, UPSERT,
                        ds -> SinkBaselines.batchedUpsert(ds, rows, batchRows)));
                rates.computeIfAbsent(UNNEST, k -> new ArrayList<>()).add(measure(urls, "bench_unnest" + r, UNNEST,
                        ds -> SinkBaselines.unnestUpsert(ds, rows, batchRows)));
                rates.computeIfAbsent(MERGE, k -> new ArrayList<>()).add(measure(urls, "bench_merge" + r, MERGE,
                        ds -> SinkBaselines.copyThenMerge(ds, rows, batchRows)));
                if (round % 2 == 1) {
                    sinkRound(rates, kafka.bootstrapServers(), urls, round);
                }
            }
            System.out.printf("median of %d rounds (min-max), rows/s:%n", rounds);
            rates.forEach((label, list) -> {
                List<Double> sorted = list.stream().sorted().toList();
                System.out.printf("  %-44s %,9.0f  (%,.0f-%,.0f)%n", label, median(sorted), sorted.get(0),
                        sorted.get(sorted.size() - 1));
            });
            double upsert = median(rates.get(UPSERT));
            System.out.printf("sink / plain batched upsert = %.2f (steady %.2f), sink / plain COPY = %.2f, "
                    + "unnest / batched upsert = %.2f, COPY+merge / batched upsert = %.2f%n",
                    median(rates.get(SINK)) / upsert, median(rates.get(SINK_STEADY)) / upsert,
                    median(rates.get(SINK)) / median(rates.get(COPY)), median(rates.get(UNNEST)) / upsert,
                    median(rates.get(MERGE)) / upsert);
            return 0;
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private void sinkRound(Map<String, List<Double>> rates, String bootstrap, JdbcUrls urls, int round)
            throws SQLException {
        rates.computeIfAbsent(READ, k -> new ArrayList<>()).add(consumeOnly(bootstrap, round));
        double[] sink = sink(bootstrap, urls, round);
        rates.computeIfAbsent(SINK, k -> new ArrayList<>()).add(sink[0]);
        rates.computeIfAbsent(SINK_STEADY, k -> new ArrayList<>()).add(sink[1]);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @FunctionalInterface
    interface Load {
        void run(HikariDataSource ds) throws SQLException;
    }

    private double measure(JdbcUrls urls, String database, String label, Load load) throws SQLException {
        try (HikariDataSource ds = database(urls, database)) {
            long t = System.nanoTime();
            load.run(ds);
            long elapsed = System.nanoTime() - t;
            check(ds, label);
            return line(label, records, elapsed);
        }
    }

    /** @return rows/s from the sink's start, and from its first to its last commit */
    private double[] sink(String bootstrap, JdbcUrls urls, int round) throws SQLException {
        String db = "bench_sink_" + round;
        try (HikariDataSource ds = database(urls, db)) {
            SinkConfig config = SinkConfig.from(ConfigSource.of(Map.of("kafka.bootstrap-servers", bootstrap,
                    "database.jdbc-url", urls.jdbcUrl(db), "sink.group-id", "bench-sink-" + round,
                    "sink.batch-rows", Integer.toString(batchRows), "sink.port", "-1")));
            long start = System.nanoTime();
            long first = 0;
            long firstCount = 0;
            long end;
            try (CockroachSink sink = CockroachSink.start(config)) {
                while (sink.counters().recordsCommitted() < records) {
                    long committed = sink.counters().recordsCommitted();
                    if (first == 0 && committed > 0) {
                        first = System.nanoTime();
                        firstCount = committed;
                    }
                    LockSupport.parkNanos(2_000_000);
                }
                end = System.nanoTime();
                double total = line(SINK, records, end - start);
                double steady = line(SINK_STEADY, records - firstCount, end - first);
                System.out.printf("  (sink: %,d batches, %,d rows upserted)%n", sink.counters().batchesCommitted(),
                        sink.counters().rowsWritten());
                check(ds, "sink");
                return new double[] {total, steady};
            }
        }
    }

    /** Reading and decoding telemetry.clean with no database: the Kafka side's own ceiling. */
    private double consumeOnly(String bootstrap, int round) {
        var decoder = Topics.TELEMETRY_CLEAN.valueSerde().deserializer();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaClients.of(bootstrap).consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "bench-read-" + round,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchRows)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.TELEMETRY_CLEAN.name()));
            long t = System.nanoTime();
            long n = 0;
            while (n < records) {
                for (var r : c.poll(Duration.ofMillis(100))) {
                    decoder.deserialize(r.topic(), r.value());
                    n++;
                }
            }
            return line(READ, records, System.nanoTime() - t);
        }
    }

    private List<TelemetryRecord> generate() {
        List<TelemetryRecord> out = new ArrayList<>(records);
        long t0 = 1_767_225_600_000L;
        for (int i = 0; i < records; i++) {
            String device = String.format("bench-%04d", i % devices);
            long ts = t0 + (i / devices) * 1000L;
            out.add(new TelemetryRecord("r" + (i / devices), device, "temp-" + (i % 4), ts, "temperature",
                    20 + (i % 100) / 10.0, "C", JsonNodeFactory.instance.objectNode().put("fw", "1.4.2").put("q", i % 3),
                    1, ts + 40, "batch-" + (i / 500)));
        }
        return out;
    }

    private static void preload(String bootstrap, List<TelemetryRecord> rows) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, TelemetryRecord> p = new KafkaProducer<>(KafkaClients.of(bootstrap).producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1)),
                new StringSerializer(), Topics.TELEMETRY_CLEAN.valueSerde().serializer())) {
            for (TelemetryRecord r : rows) {
                p.send(new ProducerRecord<>(Topics.TELEMETRY_CLEAN.name(), r.deviceId(), r), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            p.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preload failed", failure.get());
        }
    }

    private static HikariDataSource database(JdbcUrls urls, String name) throws SQLException {
        try (HikariDataSource admin = Database.pool(urls.jdbcUrl(), 1, "bench-admin");
             Connection c = admin.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        HikariDataSource ds = Database.pool(urls.jdbcUrl(name), 4, name);
        Database.migrate(ds);
        return ds;
    }

    private void check(HikariDataSource ds, String label) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM telemetry_data")) {
            rs.next();
            if (rs.getLong(1) != records) {
                throw new IllegalStateException(label + ": " + rs.getLong(1) + " rows, expected " + records);
            }
        }
    }

    private static String version(JdbcUrls urls) throws SQLException {
        try (HikariDataSource ds = Database.pool(urls.jdbcUrl(), 1, "bench-version");
             Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static double line(String label, long rows, long nanos) {
        double rate = rows / (nanos / 1e9);
        System.out.printf("  %-44s %,9d rows in %6.2f s = %,9.0f rows/s%n", label, rows, nanos / 1e9, rate);
        return rate;
    }

    /**
     * The embedded server's JDBC URLs: the command's methods take these rather than the server, so that
     * picocli, which reflects on every method of every command, never needs the embedded module (absent
     * from the class path of {@code serve} and {@code agent}).
     */
    private record JdbcUrls(String admin, UnaryOperator<String> named) {
        String jdbcUrl() {
            return admin;
        }

        String jdbcUrl(String database) {
            return named.apply(database);
        }
    }
}
