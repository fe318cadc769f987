package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The security audit log: every kind of event is a row of audit_events (who, what, when, from where)
 * and a record of topic audit.events, and GET /api/v1/audit reads it back filtered and paginated.
 */
class AuditIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    record Row(String eventId, String kind, String outcome, String actorKind, String actorId, String credentialId,
               String remoteAddress, String subject, String deviceId, String error, String detail) {
    }

    static List<Row> rows(String subject) throws Exception {
        try (Connection c = PG.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT event_id, kind, outcome, actor_kind, actor_id, "
                     + "credential_id, remote_address, subject, device_id, error_code, detail::text FROM audit_events "
                     + "WHERE subject = ? ORDER BY at, kind")) {
            ps.setString(1, subject);
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), rs.getString(11)));
                }
            }
            return out;
        }
    }

    static Row only(List<Row> rows, String kind) {
        List<Row> of = rows.stream().filter(r -> r.kind().equals(kind)).toList();
        assertEquals(1, of.size(), kind + " in " + rows);
        return of.get(0);
    }

    /** Every audit row of the subject has its record in audit.events (same eventId, kind and outcome). */
    static void published(String subject, List<Row> rows) {
        Set<String> expected = new HashSet<>();
        rows.forEach(r -> expected.add(r.eventId() + " " + r.kind() + " " + r.outcome()));
        Await.until(Duration.ofSeconds(30), () -> {
            Set<String> seen = new HashSet<>();
            for (JsonNode v : h.records(Topics.AUDIT_EVENTS.name(), subject)) {
                seen.add(v.path("eventId").asText() + " " + v.path("kind").asText() + " " + v.path("outcome").asText());
            }
            return seen;
        }, seen -> seen.containsAll(expected), "audit.events records of " + subject + ": " + expected);
    }

    @Test
    void deviceLifecycleEventsAreAuditedInTheTableAndTheTopic() throws Exception {
        // GIVEN a device registered with the enrollment key, refused a second registration, refused with a
        // wrong key, rotated by an operator and by itself, given a config key and a command, which is cancelled,
        // and revoked
        String token = h.register("audit-dev");
        Api.Response again = h.api.post("/api/v1/devices/register", h.credentials.enrollmentKey(),
                "{\"deviceId\":\"audit-dev\",\"name\":\"n\",\"deviceType\":\"pump\"}");
        assertEquals(409, again.status(), again.raw());
        Api.Response wrongKey = h.api.post("/api/v1/devices/register", "not-the-key",
                "{\"deviceId\":\"audit-dev\",\"name\":\"n\",\"deviceType\":\"pump\"}");
        assertEquals(401, wrongKey.status(), wrongKey.raw());
        assertEquals(200, h.api.post("/api/v1/devices/audit-dev/token", h.operator(), null).status());
        Api.Response own = h.api.get("/api/v1/devices/audit-dev", token);
        assertEquals(403, own.status(), "the old token was replaced: " + own.raw());
        String current = rotateByOperator("audit-dev");
        Api.Response self = h.api.post("/api/v1/devices/audit-dev/token", current, null);
        assertEquals(200, self.status(), self.raw());
        assertEquals(200, h.api.put("/api/v1/devices/audit-dev/config/sample-rate", h.operator(),
                "{\"value\":5}").status());
        Api.Response command = h.api.post("/api/v1/devices/audit-dev/commands", h.operator(),
                "{\"commandType\":\"reboot\"}");
        assertEquals(201, command.status(), command.raw());
        String commandId = command.text("commandId");
        assertEquals(200, h.api.post("/api/v1/commands/" + commandId + "/cancel", h.operator(), null).status());
        h.clock.advance(Duration.ofMillis(10));
        assertEquals(200, h.api.delete("/api/v1/devices/audit-dev/token", h.operator()).status());

        // THEN each is a row naming who, what, when and from where
        List<Row> rows = rows("audit-dev");
        Row registered = only(rows, "device.registered");
        assertEquals("success", registered.outcome());
        assertEquals("enrollment_key", registered.actorKind());
        assertEquals("127.0.0.1", registered.remoteAddress());
        assertEquals("audit-dev", registered.deviceId());
        List<Row> refused = rows.stream().filter(r -> r.kind().equals("device.registration_refused")).toList();
        assertEquals(List.of("conflict", "unauthenticated"), refused.stream().map(Row::error).sorted().toList(),
                rows.toString());
        assertTrue(refused.stream().allMatch(r -> r.outcome().equals("refused")), refused.toString());
        assertEquals(Set.of("enrollment_key", "anonymous"), Set.copyOf(refused.stream().map(Row::actorKind).toList()));
        List<Row> rotated = rows.stream().filter(r -> r.kind().equals("device.token_rotated")).toList();
        assertEquals(List.of("device", "operator", "operator"), rotated.stream().map(Row::actorKind).sorted().toList());
        assertEquals("bootstrap", rotated.stream().filter(r -> r.actorKind().equals("operator")).findFirst()
                .orElseThrow().credentialId());
        assertEquals("operator", only(rows, "device.token_revoked").actorKind());
        Row config = only(rows, "config.changed");
        assertTrue(config.detail().contains("sample-rate"), config.detail());
        assertTrue(!config.detail().contains("\"value\""), "the value itself is not audited: " + config.detail());
        assertTrue(only(rows, "command.created").detail().contains(commandId));
        assertTrue(only(rows, "command.cancelled").detail().contains(commandId));
        assertTrue(rows.stream().allMatch(r -> r.remoteAddress().equals("127.0.0.1")), rows.toString());

        // AND each has its record in audit.events, keyed by the subject
        published("audit-dev", rows);

        // AND the endpoint lists them newest first, by device and by kind
        JsonNode page = h.api.get("/api/v1/audit?device=audit-dev", h.operator()).body();
        assertEquals(rows.size(), page.path("events").size(), page.toString());
        assertEquals("device.token_revoked", page.path("events").get(0).path("kind").asText());
        JsonNode byKind = h.api.get("/api/v1/audit?device=audit-dev&kind=device.registration_refused",
                h.operator()).body();
        assertEquals(2, byKind.path("events").size(), byKind.toString());
        assertEquals("127.0.0.1", byKind.path("events").get(0).path("remoteAddress").asText());
    }

    private static String rotateByOperator(String deviceId) {
        Api.Response r = h.api.post("/api/v1/devices/" + deviceId + "/token", h.operator(), null);
        assertEquals(200, r.status(), r.raw());
        return r.text("token");
    }

    @Test
    void operatorTokensAndOperatorWritesAreAudited() throws Exception {
        // GIVEN an operator token issued, used for a write, and revoked, and a viewer trying a write
        Api.Response issued = h.api.post("/api/v1/operator-tokens", h.operator(),
                "{\"name\":\"ops-bot\",\"role\":\"operator\"}");
        assertEquals(201, issued.status(), issued.raw());
        String tokenId = issued.text("tokenId");
        Api.Response write = h.api.post("/api/v1/devices/register", issued.text("token"),
                "{\"deviceId\":\"audit-op\",\"name\":\"n\",\"deviceType\":\"pump\"}");
        assertEquals(201, write.status(), write.raw());
        assertEquals(200, h.api.delete("/api/v1/operator-tokens/" + tokenId, h.operator()).status());
        Api.Response viewerIssued = h.api.post("/api/v1/operator-tokens", h.operator(),
                "{\"name\":\"ann\",\"role\":\"viewer\"}");
        String viewer = viewerIssued.text("token");
        String viewerId = viewerIssued.text("tokenId");
        assertEquals(403, h.api.delete("/api/v1/devices/audit-op/token", viewer).status());

        // THEN the token's issue and revocation are rows about the token, by the bootstrap operator
        List<Row> token = rows(tokenId);
        Row issue = only(token, "operator_token.issued");
        assertEquals("bootstrap", issue.credentialId());
        assertTrue(issue.detail().contains("ops-bot"), issue.detail());
        only(token, "operator_token.revoked");
        // AND its write is an operator.write row naming the method, path and status
        Row used = only(token, "operator.write");
        assertEquals("success", used.outcome());
        assertEquals(tokenId, used.credentialId());
        assertTrue(used.detail().contains("/api/v1/devices/register") && used.detail().contains("201"), used.detail());
        assertEquals(tokenId, only(rows("audit-op"), "device.registered").credentialId());
        // AND the viewer's refused write is audited with its error code
        Row refused = only(rows(viewerId), "operator.write");
        assertEquals("refused", refused.outcome());
        assertEquals("forbidden", refused.error());
        assertEquals("viewer", refused.actorKind());
        published(tokenId, token);
        published(viewerId, rows(viewerId));
    }

    @Test
    void theLogIsPaginatedNewestFirstAndFiltersAreChecked() throws Exception {
        for (int i = 0; i < 5; i++) {
            h.register("audit-page-" + i);
            h.clock.advance(Duration.ofSeconds(1));
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = h.api.get("/api/v1/audit?kind=device.registered&limit=2&since=2026-01-01T00:00:00Z"
                    + (after == null ? "" : "&after=" + after), h.operator()).body();
            page.path("events").forEach(e -> seen.add(e.path("subject").asText()));
            after = page.path("nextAfter").isNull() ? null : page.path("nextAfter").asText();
        } while (after != null);
        List<String> pages = seen.stream().filter(s -> s.startsWith("audit-page-")).toList();
        assertEquals(List.of("audit-page-4", "audit-page-3", "audit-page-2", "audit-page-1", "audit-page-0"), pages);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no event twice: " + seen);

        assertEquals("invalid_request", h.api.get("/api/v1/audit?kind=nonsense", h.operator()).errorCode());
        assertEquals("invalid_request", h.api.get("/api/v1/audit?since=yesterday", h.operator()).errorCode());
        assertEquals("invalid_request", h.api.get("/api/v1/audit?after=" + java.util.UUID.randomUUID(),
                h.operator()).errorCode());
        assertEquals(403, h.api.get("/api/v1/audit", h.viewer()).status(), "viewers do not read the audit log");
        assertEquals(401, h.api.get("/api/v1/audit", null).status());
        JsonNode none = h.api.get("/api/v1/audit?since=2999-01-01T00:00:00Z", h.operator()).body();
        assertEquals(0, none.path("events").size());
        assertNull(none.path("nextAfter").asText(null));
        assertNotNull(h.api.get("/api/v1/audit?device=audit-page-0", h.operator()).body().path("events").get(0));
    }
}
