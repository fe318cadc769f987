package io.edgesync.cli.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import io.edgesync.cli.agent.CloudPipeline;
import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real records of every topic, produced by the real gateway, processor, sink and dispatcher, each read
 * read_committed and validated against its schema in docs/contracts (value, headers and key).
 */
class TopicContractsIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The key of a record written straight to telemetry.raw by a foreign producer, outside the contract. */
    static final String HOSTILE = "hostile-producer";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyRecordOfEveryTopicConformsToItsSchema() throws Exception {
        Path dir = TempDirs.create("contracts-");
        LocalCredentials credentials = LocalCredentials.loadOrCreate(dir);
        ConfigSource dispatcherConfig = ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "database.jdbc-url", PG.jdbcUrl(),
                "dispatcher.port", "0", "dispatcher.signing-key-file", credentials.signingKeyFile().toString(),
                "dispatcher.operator-token", credentials.operatorToken(),
                "dispatcher.enrollment-key", credentials.enrollmentKey()));
        try (CommandDispatcher dispatcher = CommandDispatcher.start(DispatcherConfig.from(dispatcherConfig));
             CloudPipeline cloud = new CloudPipeline(KAFKA.bootstrapServers(), PG.jdbcUrl(), PG.dataSource(), dir,
                     Map.of("processor.stats-interval", "1s"));
             IngestGateway gateway = cloud.startGateway(0, Map.of())) {
            // GIVEN traffic that makes every topic carry records: telemetry with a resend, a correction and a
            // stale correction (a conflict), a record that is not JSON (a dead letter), table rows, a device
            // registered, rotated and revoked, and a command created, delivered and acknowledged
            telemetry(gateway, "[" + reading("r1", 1, 20.5) + "," + reading("r2", 1, 21) + "," + reading("r3", 1, 22)
                    + "]");
            telemetry(gateway, "[" + reading("r1", 1, 20.5) + "," + reading("r2", 2, 21.5) + "]");
            telemetry(gateway, "[" + reading("r2", 1, 19) + "]");
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers",
                    KAFKA.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), HOSTILE.getBytes(StandardCharsets.UTF_8),
                        "not json".getBytes(StandardCharsets.UTF_8))).get();
            }
            String rows = Json.toString(Map.of("deviceId", "contract-dev", "rows", List.of(Map.of("version", 1,
                    "values", Map.of("id", 1, "event_time", 1_700_000_000.5, "event_type", "created",
                            "file_path", "/a", "file_name", "a.txt", "is_symlink", 0)))));
            assertEquals(200, send(gateway.url() + "/api/v1/sync/tables/file_change_events", "POST", null, rows)
                    .statusCode());
            String operator = credentials.operatorToken();
            send(dispatcher.url() + "/api/v1/devices/register", "POST", credentials.enrollmentKey(),
                    "{\"deviceId\":\"contract-dev\",\"name\":\"n\",\"deviceType\":\"t\"}", 201);
            send(dispatcher.url() + "/api/v1/devices/contract-dev/token", "POST", operator, null, 200);
            send(dispatcher.url() + "/api/v1/devices/contract-dev/token", "DELETE", operator, null, 200);
            String device = Json.mapper().readTree(send(dispatcher.url() + "/api/v1/devices/register", "POST",
                    credentials.enrollmentKey(), "{\"deviceId\":\"contract-cmd\",\"name\":\"n\",\"deviceType\":\"t\"}",
                    201)).path("token").asText();
            String commandId = Json.mapper().readTree(send(dispatcher.url() + "/api/v1/devices/contract-cmd/commands",
                    "POST", operator, "{\"commandType\":\"reboot\",\"payload\":{\"delay\":5}}", 201))
                    .path("commandId").asText();
            send(dispatcher.url() + "/api/v1/sync/commands/contract-cmd?wait=0", "GET", device, null, 200);
            send(dispatcher.url() + "/api/v1/sync/ack/" + commandId, "POST", device,
                    "{\"status\":\"executed\",\"result\":{\"ok\":true}}", 200);

            // THEN the example consumer of docs/topics.md sees each winner once: r1, r2 and r3, then r2's correction
            List<TelemetryCleanConsumer.Reading> readings = new ArrayList<>();
            try (TelemetryCleanConsumer example = new TelemetryCleanConsumer(KAFKA.bootstrapServers(), "contracts-it")) {
                Await.until(Duration.ofSeconds(60), () -> {
                    example.poll(Duration.ofMillis(500), readings::add);
                    return readings.size();
                }, n -> n >= 4, "four winners in telemetry.clean");
                example.poll(Duration.ofSeconds(1), readings::add);
            }
            assertEquals(List.of("r1/1", "r2/1", "r3/1", "r2/2"), readings.stream()
                    .map(r -> r.id() + "/" + r.version()).toList());
            assertEquals(21.5, readings.get(3).value());
            assertEquals(1_700_000_000_000L + 2, readings.get(1).timestamp().toEpochMilli());

            // AND every record of every topic conforms to the topic's schemas, and every topic has some
            Map<String, Integer> minimum = Map.ofEntries(Map.entry(Topics.TELEMETRY_RAW.name(), 6),
                    Map.entry(Topics.TELEMETRY_CLEAN.name(), 4), Map.entry(Topics.TELEMETRY_CONFLICTS.name(), 1),
                    Map.entry(Topics.TELEMETRY_DLQ.name(), 1), Map.entry(Topics.DEVICE_SYNC_STATS.name(), 1),
                    Map.entry(Topics.DEVICE_REGISTRY.name(), 4), Map.entry(Topics.COMMAND_EVENTS.name(), 3),
                    Map.entry(Topics.AUDIT_EVENTS.name(), 5), Map.entry(Topics.TABLE_ROWS_RAW.name(), 1),
                    Map.entry(Topics.TABLE_ROWS_CLEAN.name(), 1), Map.entry(Topics.SYNC_TABLE_REGISTRY.name(), 1));
            assertEquals(ContractFilesTest.topics(), new java.util.TreeSet<>(minimum.keySet()),
                    "the test covers every topic of Topics.ALL");
            Map<String, Integer> validated = new TreeMap<>();
            for (String topic : ContractFilesTest.topics()) {
                List<ConsumerRecord<byte[], byte[]>> records = Await.until(Duration.ofSeconds(60),
                        () -> KafkaTopics.readAll(KAFKA.bootstrapServers(), topic), l -> l.size() >= minimum.get(topic),
                        "records in " + topic);
                Schema headers = Contracts.schema(Contracts.headerSchemaFile(topic, 1));
                Path valueFile = Contracts.valueSchemaFile(topic, 1);
                Schema value = Files.isRegularFile(valueFile) ? Contracts.schema(valueFile) : null;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (topic.equals(Topics.TELEMETRY_RAW.name()) && HOSTILE.equals(new String(r.key(),
                            StandardCharsets.UTF_8))) {
                        continue;
                    }
                    String where = topic + "@" + r.partition() + ":" + r.offset();
                    assertEquals(List.of(), Contracts.violations(r, headers, value), where);
                    assertEquals(List.of(), keyViolations(topic, r), where);
                }
                validated.put(topic, records.size());
            }
            System.out.println("records validated per topic: " + validated);
            JsonNode created = Json.mapper().readTree(KafkaTopics.readAll(KAFKA.bootstrapServers(),
                    Topics.COMMAND_EVENTS.name()).get(0).value());
            assertTrue(created.path("at").isIntegralNumber(), "command.events at is epoch ms: " + created);
            assertTrue(!created.has("previousStatus"), "previousStatus omitted at creation: " + created);
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    /** The key rules of docs/contracts/asyncapi.yaml: a UTF-8 id that the value repeats. */
    static List<String> keyViolations(String topic, ConsumerRecord<byte[], byte[]> r) throws Exception {
        if (topic.equals(Topics.TELEMETRY_DLQ.name())) {
            return List.of();
        }
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (key == null || key.isEmpty()) {
            return List.of("no key");
        }
        if (r.value() == null) {
            return List.of();
        }
        JsonNode v = Json.mapper().readTree(r.value());
        String field = switch (topic) {
            case "table-rows.raw", "table-rows.clean" -> "hostId";
            case "sync.table-registry" -> "name";
            case "audit.events" -> "subject";
            default -> "deviceId";
        };
        return key.equals(v.path(field).asText()) ? List.of() : List.of("key " + key + " is not the value's " + field);
    }

    static String reading(String id, int version, double value) {
        return "{\"id\":\"" + id + "\",\"deviceId\":\"contract-dev\",\"sensorId\":\"t1\",\"timestamp\":"
                + (1_700_000_000_000L + Integer.parseInt(id.substring(1))) + ",\"dataType\":\"temperature\","
                + "\"value\":" + value + ",\"unit\":\"celsius\",\"version\":" + version + "}";
    }

    void telemetry(IngestGateway gateway, String body) throws Exception {
        HttpResponse<String> r = send(gateway.url() + "/api/v1/sync/telemetry", "POST", null, body);
        assertEquals(200, r.statusCode(), r.body());
    }

    HttpResponse<String> send(String url, String method, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String send(String url, String method, String bearer, String body, int expected) throws Exception {
        HttpResponse<String> r = send(url, method, bearer, body);
        assertEquals(expected, r.statusCode(), method + " " + url + ": " + r.body());
        return r.body();
    }
}
