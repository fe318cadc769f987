package io.edgesync.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.cli.agent.CloudPipeline;
import io.edgesync.embedded.S3Server;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.Topic;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.archive.ArchiveConfig;
import io.edgesync.sink.archive.RawArchive;
import io.edgesync.sink.archive.RawArchiver;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code edgesync replay} against the real broker, processor, sink and PostgreSQL: history written through
 * the gateway in two phases (with resends, corrections and stale corrections that make conflicts), then
 * replayed into shadow tables while the live pipeline runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<String> DEVICES = List.of("rp-a", "rp-b", "rp-c");
    static Path dir;
    static CloudPipeline cloud;
    static IngestGateway gateway;
    /** Between the two phases: phase 1 was written before it, phase 2 after. */
    static Instant between;
    static Instant started;
    static S3Server s3;
    static RawArchiver archiver;
    static ArchiveConfig archive;

    @BeforeAll
    static void history() throws Exception {
        dir = TempDirs.create("replay-");
        cloud = new CloudPipeline(KAFKA.bootstrapServers(), PG.jdbcUrl(), PG.dataSource(), dir);
        gateway = cloud.startGateway(0, Map.of());
        s3 = S3Server.start(dir.resolve("s3"), 0);
        archive = new ArchiveConfig(KafkaClients.of(KAFKA.bootstrapServers()), "edgesync-raw-archive", s3.endpoint(), "us-east-1",
                "edgesync-archive", S3Server.ACCESS_KEY, S3Server.SECRET_KEY, 100_000, Duration.ofSeconds(1));
        archiver = RawArchiver.start(archive);
        started = Instant.now().minusSeconds(1);
        // phase 1: 3 devices x 40 readings, 10 of them corrected (version 2) and then sent stale (version 1
        // with another value: a conflict), everything resent once
        for (String device : DEVICES) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                batch.add(reading(device, "p1-" + i, i % 2 == 0 ? "temperature" : "humidity", 1, 20 + i));
            }
            post(device, batch);
            post(device, batch);
            List<String> corrections = new ArrayList<>();
            List<String> stale = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                corrections.add(reading(device, "p1-" + i, i % 2 == 0 ? "temperature" : "humidity", 2, 100 + i));
                stale.add(reading(device, "p1-" + i, i % 2 == 0 ? "temperature" : "humidity", 1, 50 + i));
            }
            post(device, corrections);
            post(device, stale);
        }
        awaitLive(120, 30);
        // phase 1 was written (Kafka timestamps) before its rows landed, so strictly before this instant
        between = Instant.now();
        // phase 2: new readings only (so the live rows of phase 1 stay as phase 1 left them)
        for (String device : DEVICES) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(reading(device, "p2-" + i, "temperature", 1, 30 + i));
            }
            post(device, batch);
        }
        awaitLive(180, 30);
        long raw = KafkaTopics.endOffsetSum(KAFKA.bootstrapServers(), Topics.TELEMETRY_RAW.name());
        Await.equalTo(Duration.ofSeconds(60), () -> archiver.archived(), raw, "telemetry.raw archived");
    }

    @AfterAll
    static void stop() {
        archiver.close();
        s3.close();
        gateway.close();
        cloud.close();
        TempDirs.deleteRecursively(dir);
    }

    static void awaitLive(long rows, long conflicts) {
        Await.equalTo(Duration.ofSeconds(90), () -> query("SELECT count(*) FROM telemetry_data"), rows, "live rows");
        Await.equalTo(Duration.ofSeconds(60), () -> query("SELECT count(*) FROM conflict_log"), conflicts,
                "live conflicts");
    }

    static String reading(String device, String id, String sensor, int version, double value) {
        return "{\"id\":\"" + id + "\",\"deviceId\":\"" + device + "\",\"sensorId\":\"" + sensor
                + "\",\"timestamp\":" + (1_700_000_000_000L + id.hashCode() % 1000 + 1000) + ",\"dataType\":\""
                + sensor + "\",\"value\":" + value + ",\"version\":" + version + "}";
    }

    static void post(String device, List<String> readings) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/sync/telemetry"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", readings) + "]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    static long query(String sql) {
        try (Connection c = PG.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> strings(String sql) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = PG.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** SHA-256 over every column of every row, in key order. */
    static String checksum(String table, String order) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Connection c = PG.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table + " ORDER BY " + order);
             ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    sha.update(String.valueOf(rs.getString(i)).getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** End offsets of the live topics, and the live processor's and sink's committed offsets. */
    static Map<String, Object> liveKafka() throws Exception {
        Map<String, Object> out = new TreeMap<>();
        for (Topic<?, ?> t : List.of(Topics.TELEMETRY_RAW, Topics.TELEMETRY_CLEAN, Topics.TELEMETRY_CONFLICTS,
                Topics.TELEMETRY_DLQ)) {
            out.put(t.name(), KafkaTopics.endOffsetSum(KAFKA.bootstrapServers(), t.name()));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            for (var g : admin.listConsumerGroups().all().get()) {
                if (!g.groupId().startsWith("edgesync-replay-")) {
                    // device.sync-stats is left out: the live processor publishes it on its own timer
                    admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get().forEach((tp, o) -> {
                        if (!tp.topic().equals(Topics.DEVICE_SYNC_STATS.name())) {
                            out.put("group " + g.groupId() + " " + tp, o.offset());
                        }
                    });
                }
            }
        }
        return out;
    }

    static Replay replay() {
        return new Replay(KAFKA.bootstrapServers(), PG.dataSource(), new PrintStream(new ByteArrayOutputStream()));
    }

    static ReplayPlan plan(String name, Instant from, Instant to) {
        return ReplayPlan.resolve(KAFKA.bootstrapServers(), name, Map.of(), from, to, Set.of());
    }

    @Test
    @Order(1)
    void aReplayOfATimeRangeEqualsTheLiveTableForThatRangeAndLeavesTheLiveSideUntouched() throws Exception {
        Map<String, Object> kafkaBefore = liveKafka();
        String rowsBefore = checksum("telemetry_data", "device_id, id");
        String conflictsBefore = checksum("conflict_log", "id");
        // WHEN phase 1 is replayed
        ReplayPlan plan = plan("range", started, between);
        Replay.Summary s = replay().run(plan, UnaryOperator.identity());
        assertEquals(plan.records(), s.offsets());
        // THEN its shadow holds phase 1's 120 winners, equal to the live rows of phase 1
        assertEquals(120, query("SELECT count(*) FROM telemetry_data_replay_range"));
        DiffReport report = DiffReport.compute(PG.dataSource(), plan);
        assertTrue(report.identical(), report.toString());
        assertEquals(120, report.shadowRows());
        assertEquals(0, query("SELECT count(*) FROM telemetry_data_replay_range WHERE id LIKE 'p2-%'"));
        // AND the values are the corrections, not the stale or first versions
        assertEquals(30, query("SELECT count(*) FROM telemetry_data_replay_range WHERE version = 2 AND value >= 100"));
        // AND the live topics, groups and tables are untouched
        assertEquals(kafkaBefore, liveKafka());
        assertEquals(rowsBefore, checksum("telemetry_data", "device_id, id"));
        assertEquals(conflictsBefore, checksum("conflict_log", "id"));
    }

    @Test
    @Order(2)
    void conflictsOfAReplayHaveTheIdsOfTheLiveOnesEveryTime() throws Exception {
        Set<String> live = strings("SELECT CAST(id AS TEXT) FROM conflict_log");
        assertEquals(30, live.size());
        replay().run(plan("twice_a", null, null), UnaryOperator.identity());
        replay().run(plan("twice_b", null, null), UnaryOperator.identity());
        assertEquals(live, strings("SELECT CAST(id AS TEXT) FROM conflict_log_replay_twice_a"));
        assertEquals(live, strings("SELECT CAST(id AS TEXT) FROM conflict_log_replay_twice_b"));
        // the whole topic replayed equals the whole live table
        assertTrue(DiffReport.compute(PG.dataSource(), plan("twice_a", null, null)).identical());
    }

    @Test
    @Order(2)
    void aReplayFromTheArchiveEqualsAReplayFromTheTopic() throws Exception {
        // the archive holds every record of telemetry.raw exactly once, each as it was
        List<RawArchive.Entry> archived = RawArchive.of(archive).read(null, null);
        assertEquals(KafkaTopics.endOffsetSum(KAFKA.bootstrapServers(), Topics.TELEMETRY_RAW.name()), archived.size());
        ReplayPlan fromTopic = plan("topic_all", null, null);
        replay().run(fromTopic, UnaryOperator.identity());
        ReplayPlan fromArchive = ReplayPlan.forArchive("archive_all", Map.of(), null, null, Set.of());
        Replay.Summary s = replay().runFromArchive(fromArchive, RawArchive.of(archive), UnaryOperator.identity());
        assertEquals(archived.size(), s.offsets());
        String columns = "device_id, id, sensor_id, \"timestamp\", data_type, value, unit, metadata, version,"
                + " payload_hash, received_at";
        assertEquals(180, query("SELECT count(*) FROM telemetry_data_replay_archive_all"));
        assertEquals(rows("SELECT " + columns + " FROM telemetry_data_replay_topic_all ORDER BY device_id, id"),
                rows("SELECT " + columns + " FROM telemetry_data_replay_archive_all ORDER BY device_id, id"));
        assertEquals(strings("SELECT CAST(id AS TEXT) FROM conflict_log_replay_topic_all"),
                strings("SELECT CAST(id AS TEXT) FROM conflict_log_replay_archive_all"));
        assertTrue(DiffReport.compute(PG.dataSource(), fromArchive).identical());
        // a time range from the archive: phase 2 only
        ReplayPlan phase2 = ReplayPlan.forArchive("archive_p2", Map.of(), between, null, Set.of());
        replay().runFromArchive(phase2, RawArchive.of(archive), UnaryOperator.identity());
        assertEquals(60, query("SELECT count(*) FROM telemetry_data_replay_archive_p2 WHERE id LIKE 'p2-%'"));
        assertEquals(60, query("SELECT count(*) FROM telemetry_data_replay_archive_p2"));
    }

    static List<String> rows(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = PG.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(rs.getString(i)).append('|');
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    @Order(3)
    void afterAChangedRuleTheReportListsExactlyTheChangedRows() throws Exception {
        // a rule that doubles humidity (the "fix" being verified) changes exactly the humidity rows
        UnaryOperator<TelemetryRecord> doubled = r -> !r.sensorId().equals("humidity") ? r
                : new TelemetryRecord(r.id(), r.deviceId(), r.sensorId(), r.timestamp(), r.dataType(), r.value() * 2,
                        r.unit(), r.metadata(), r.version(), r.receivedAt(), r.batchId());
        ReplayPlan plan = ReplayPlan.resolve(KAFKA.bootstrapServers(), "fix", Map.of(), null, null, Set.of("rp-b"));
        replay().run(plan, doubled);
        DiffReport report = DiffReport.compute(PG.dataSource(), plan);
        Set<String> humidity = strings("SELECT device_id || '/' || id FROM telemetry_data"
                + " WHERE device_id = 'rp-b' AND sensor_id = 'humidity'");
        assertEquals(20, humidity.size());
        assertEquals(20, report.differing());
        assertEquals(humidity, new TreeSet<>(report.differingKeys()));
        assertEquals(0, report.onlyInShadow());
        assertEquals(0, report.onlyInLive(), "other devices are out of the replay's scope");
    }

    @Test
    @Order(4)
    void theCommandLineDryRunsReportsAndRefusesBadInput() throws Exception {
        String[] connection = {"--bootstrap-servers", KAFKA.bootstrapServers(), "--jdbc-url", PG.jdbcUrl()};
        Run dry = run(concat(new String[] {"--name", "dry", "--from-time", between.toString(), "--dry-run"}, connection));
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("replay dry reads telemetry.raw:"), dry.out());
        assertTrue(dry.out().contains("= 60 offsets"), dry.out());
        assertTrue(dry.out().contains("dry run: nothing read or written"), dry.out());
        assertFalse(strings("SELECT table_name FROM information_schema.tables").contains("telemetry_data_replay_dry"));
        Run real = run(concat(new String[] {"--name", "cli", "--device", "rp-c"}, connection));
        assertEquals(0, real.code(), real.err());
        assertTrue(real.out().contains("60 rows replayed, 0 only in the replay, 0 only in live, 0 differ (identical)"),
                real.out());
        assertTrue(real.err().contains("records/s"), "progress on stderr: " + real.err());
        Run again = run(concat(new String[] {"--name", "cli"}, connection));
        assertEquals(1, again.code());
        assertTrue(again.err().contains("a replay named cli exists"), again.err());
        assertEquals(2, run(concat(new String[] {"--name", "Bad-Name"}, connection)).code());
        Run badTime = run(concat(new String[] {"--name", "t", "--from-time", "yesterday"}, connection));
        assertEquals(2, badTime.code());
        assertTrue(badTime.err().contains("--from-time is an ISO-8601 instant"), badTime.err());
        assertEquals(2, run(concat(new String[] {"--name", "t", "--from-offset", "-3"}, connection)).code());
    }

    @Test
    @Order(5)
    void promotionMakesTheLiveTableEqualTheShadowAndDropRemovesIt() throws Exception {
        String[] connection = {"--bootstrap-servers", KAFKA.bootstrapServers(), "--jdbc-url", PG.jdbcUrl()};
        Run preview = run(concat(new String[] {"promote", "--name", "fix"}, connection));
        assertEquals(0, preview.code(), preview.err());
        assertTrue(preview.out().contains("would write 20 rows"), preview.out());
        assertEquals(20, DiffReport.compute(PG.dataSource(), plan("fix", null, null)).differing(), "nothing written yet");
        Run promote = run(concat(new String[] {"promote", "--name", "fix", "--yes"}, connection));
        assertEquals(0, promote.code(), promote.err());
        assertTrue(promote.out().contains("promoted: 20 rows written into telemetry_data"), promote.out());
        ReplayPlan fix = ReplayPlan.resolve(KAFKA.bootstrapServers(), "fix", Map.of(), null, null, Set.of("rp-b"));
        assertTrue(DiffReport.compute(PG.dataSource(), fix).identical());
        assertEquals(180, query("SELECT count(*) FROM telemetry_data"));
        Run drop = run(concat(new String[] {"drop", "--name", "fix"}, connection));
        assertEquals(0, drop.code(), drop.err());
        assertFalse(strings("SELECT table_name FROM information_schema.tables").contains("telemetry_data_replay_fix"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            assertTrue(admin.listTopics().names().get().stream().noneMatch(t -> t.startsWith("replay.fix.")
                    || t.startsWith("edgesync-replay-fix-")));
        }
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = new CommandLine(new ReplayCommand());
            cli.setErr(new java.io.PrintWriter(System.err, true));
            cli.setOut(new java.io.PrintWriter(System.out, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
