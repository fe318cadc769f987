package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Operator and viewer tokens: an explicit known role, listed and revoked by id, a bounded lifetime. */
class OperatorTokensIT {
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

    /** A token signed by the dispatcher's own key, as a forged or legacy token would be. */
    private static String signed(String role) {
        return new Tokens.Issuer(Tokens.readKey(h.credentials.signingKeyFile()), h.clock)
                .issue("mallory", TokenKind.OPERATOR, role, 0, Duration.ofDays(1)).token();
    }

    @Test
    void aTokenWithoutAKnownRoleIsRefusedNotTreatedAsOperator() {
        for (String role : new String[] {null, "admin", "OPERATOR", ""}) {
            // WHEN a correctly signed operator token without a known role is used for a read and a write
            Api.Response read = h.api.get("/api/v1/devices", signed(role));
            Api.Response write = h.api.post("/api/v1/devices/register", signed(role),
                    "{\"deviceId\":\"norole\",\"name\":\"n\",\"deviceType\":\"t\"}");

            // THEN both are refused as unauthenticated, naming the role
            assertEquals(401, read.status(), read.raw());
            assertEquals("unauthenticated", read.errorCode());
            assertTrue(read.raw().contains("no known role"), read.raw());
            assertEquals(401, write.status(), write.raw());
        }
        assertEquals(404, h.api.get("/api/v1/devices/norole", h.operator()).status(), "nothing was registered");
    }

    @Test
    void aSignedTokenThatWasNeverIssuedIsRefused() {
        Api.Response r = h.api.get("/api/v1/devices", signed("operator"));

        assertEquals(401, r.status(), r.raw());
        assertTrue(r.raw().contains("unknown operator token"), r.raw());
    }

    @Test
    void aRevokedOperatorTokenIsRefusedAndListedAsRevoked() {
        // GIVEN an operator token that works
        Api.Response issued = h.api.post("/api/v1/operator-tokens", h.operator(), "{\"name\":\"bob\",\"role\":\"operator\"}");
        assertEquals(201, issued.status(), issued.raw());
        String token = issued.text("token");
        String id = issued.text("tokenId");
        assertEquals(200, h.api.get("/api/v1/devices", token).status());
        assertEquals(status(id), "active");

        // WHEN it is revoked by id
        Api.Response revoked = h.api.delete("/api/v1/operator-tokens/" + id, h.operator());

        // THEN it is refused for reads and writes, and listed as revoked by whom
        assertEquals(200, revoked.status(), revoked.raw());
        assertEquals("revoked", revoked.text("status"));
        assertEquals("bootstrap", revoked.text("revokedBy"));
        Api.Response read = h.api.get("/api/v1/devices", token);
        assertEquals(403, read.status(), read.raw());
        assertEquals("token_revoked", read.errorCode());
        assertEquals(403, h.api.post("/api/v1/operator-tokens", token, "{\"name\":\"x\",\"role\":\"operator\"}").status());
        assertEquals("revoked", status(id));
        assertEquals(200, h.api.delete("/api/v1/operator-tokens/" + id, h.operator()).status(), "revoking again is a no-op");
        assertEquals(404, h.api.delete("/api/v1/operator-tokens/no-such-id", h.operator()).status());
    }

    @Test
    void anExpiredOperatorTokenIsRefused() {
        Api.Response issued = h.api.post("/api/v1/operator-tokens", h.operator(),
                "{\"name\":\"eve\",\"role\":\"viewer\",\"ttlSeconds\":60}");
        String token = issued.text("token");
        assertEquals(200, h.api.get("/api/v1/devices", token).status());

        h.clock.advance(Duration.ofSeconds(61));

        Api.Response r = h.api.get("/api/v1/devices", token);
        assertEquals(401, r.status(), r.raw());
        assertEquals("token_expired", r.errorCode());
        assertEquals("expired", status(issued.text("tokenId")));
    }

    @Test
    void theLifetimeIsBoundedByTheSettingDefault90Days() {
        Api.Response issued = h.api.post("/api/v1/operator-tokens", h.operator(), "{\"name\":\"max\",\"role\":\"viewer\"}");
        assertEquals(h.clock.instant().plus(Duration.ofDays(90)).toString(), issued.text("expiresAt"));

        Api.Response tooLong = h.api.post("/api/v1/operator-tokens", h.operator(),
                "{\"name\":\"max\",\"role\":\"viewer\",\"ttlSeconds\":" + (Duration.ofDays(90).toSeconds() + 1) + "}");
        assertEquals(400, tooLong.status(), tooLong.raw());
        assertEquals("ttlSeconds", tooLong.body().path("error").path("details").path("field").asText(), tooLong.raw());
    }

    @Test
    void viewersCannotListOrRevokeTokens() {
        String viewer = h.viewer();
        assertEquals(403, h.api.get("/api/v1/operator-tokens", viewer).status());
        assertEquals(403, h.api.delete("/api/v1/operator-tokens/x", viewer).status());
    }

    private static String status(String tokenId) {
        String after = "";
        while (true) {
            JsonNode page = h.api.get("/api/v1/operator-tokens?limit=1000&after=" + after, h.operator()).body();
            for (JsonNode t : page.path("tokens")) {
                if (t.path("tokenId").asText().equals(tokenId)) {
                    assertTrue(!t.has("token"), "never the token itself");
                    return t.path("status").asText();
                }
            }
            if (page.path("nextAfter").isNull()) {
                return null;
            }
            after = page.path("nextAfter").asText();
        }
    }
}
