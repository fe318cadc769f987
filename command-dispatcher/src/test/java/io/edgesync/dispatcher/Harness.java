package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.KafkaTopics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One dispatcher on a real broker and real PostgreSQL, with a clock the test moves, local
 * credentials, and helpers to register devices and read topics.
 */
final class Harness implements AutoCloseable {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final MutableClock clock;
    final Path dir = TempDirs.create("dispatcher-");
    final LocalCredentials credentials;
    final String bootstrap;
    final String jdbcUrl;
    final CommandDispatcher dispatcher;
    final Api api;

    Harness(String bootstrap, String jdbcUrl, Map<String, String> overrides) {
        this(bootstrap, jdbcUrl, overrides, null, new MutableClock(START));
    }

    /** A second instance sharing the first one's credentials and clock, as a scaled-out deployment would. */
    Harness(Harness first, Map<String, String> overrides) {
        this(first.bootstrap, first.jdbcUrl, overrides, first.credentials, first.clock);
    }

    private Harness(String bootstrap, String jdbcUrl, Map<String, String> overrides, LocalCredentials shared,
                    MutableClock clock) {
        this.clock = clock;
        this.credentials = shared != null ? shared : LocalCredentials.loadOrCreate(dir);
        this.bootstrap = bootstrap;
        this.jdbcUrl = jdbcUrl;
        this.dispatcher = CommandDispatcher.start(DispatcherConfig.from(config(overrides)), clock);
        this.api = new Api(dispatcher.url());
    }

    ConfigSource config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "kafka.bootstrap-servers", bootstrap,
                "database.jdbc-url", jdbcUrl,
                "dispatcher.port", "0",
                "dispatcher.signing-key-file", credentials.signingKeyFile().toString(),
                "dispatcher.operator-token", credentials.operatorToken(),
                "dispatcher.enrollment-key", credentials.enrollmentKey(),
                // tests enrol hundreds of devices with the fleet key at one instant; EnrollmentIT sets its own
                "dispatcher.enrollment-key-rate-limit", "1000000"));
        values.putAll(overrides);
        return ConfigSource.of(values);
    }

    String operator() {
        return credentials.operatorToken();
    }

    /** A new viewer (read-only) API token issued by the operator. */
    String viewer() {
        Api.Response r = api.post("/api/v1/operator-tokens", operator(), "{\"name\":\"ann\",\"role\":\"viewer\"}");
        assertEquals(201, r.status(), r.raw());
        return r.text("token");
    }

    /** Registers a device with the enrollment key; returns its token. */
    String register(String deviceId) {
        Api.Response r = api.post("/api/v1/devices/register", credentials.enrollmentKey(),
                "{\"deviceId\":\"" + deviceId + "\",\"name\":\"pump " + deviceId + "\",\"deviceType\":\"pump\"}");
        assertEquals(201, r.status(), r.raw());
        return r.text("token");
    }

    /** Records of a topic with the given key, as JSON, in offset order per partition. */
    List<JsonNode> records(String topic, String key) {
        return KafkaTopics.readAll(bootstrap, topic).stream()
                .filter(r -> r.key() != null && key.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)))
                .map(r -> Json.fromBytes(r.value(), JsonNode.class))
                .toList();
    }

    @Override
    public void close() {
        dispatcher.close();
        TempDirs.deleteRecursively(dir);
    }
}
