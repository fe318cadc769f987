package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a new dispatcher signing key does, as docs/operations.md ("Rotating the signing key") states:
 * every device and operator JWT signed with the old key is refused, previousToken can no longer
 * re-enrol, while the configured bootstrap operator token, the fleet enrollment key and open
 * enrollment codes keep working, and an operator's rotation gives a device a token that works.
 */
class SigningKeyRotationIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void aNewSigningKeyRefusesEveryOldJwtAndOnlyAnOperatorRotationRecoversADevice() {
        Path keyDir = TempDirs.create("signing-key-");
        try (Harness before = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of())) {
            // GIVEN a device, a viewer token and an open enrollment code, all issued under the old key
            String deviceToken = before.register("rot-1");
            String viewer = before.viewer();
            String code = before.api.post("/api/v1/enrollment-codes", before.operator(),
                    "{\"deviceId\":\"rot-2\"}").text("code");
            Path newKey = keyDir.resolve("signing-key.jwk");
            Tokens.writeKey(Tokens.generateKey(), newKey);

            // WHEN the dispatcher runs with a new signing key
            try (Harness after = new Harness(before, Map.of("dispatcher.signing-key-file", newKey.toString()))) {

                // THEN every JWT signed with the old key is refused
                Api.Response oldDevice = after.api.get("/api/v1/devices/rot-1", deviceToken);
                assertEquals(401, oldDevice.status(), oldDevice.raw());
                assertEquals("unauthenticated", oldDevice.errorCode());
                assertEquals(401, after.api.get("/api/v1/devices", viewer).status(), "old viewer token");
                // and previousToken no longer proves the device: a conflict, as for any unknown token
                Api.Response reenrol = after.api.post("/api/v1/devices/register", after.credentials.enrollmentKey(),
                        "{\"deviceId\":\"rot-1\",\"name\":\"n\",\"deviceType\":\"pump\",\"previousToken\":\""
                                + deviceToken + "\"}");
                assertEquals(409, reenrol.status(), reenrol.raw());
                assertEquals("conflict", reenrol.errorCode());

                // the configured secrets and the enrollment codes (kept in the database) still work
                assertEquals(200, after.api.get("/api/v1/devices", after.operator()).status(), "bootstrap token");
                assertEquals(201, after.api.post("/api/v1/devices/register", code,
                        "{\"deviceId\":\"rot-2\",\"name\":\"n\",\"deviceType\":\"pump\"}").status(), "open code");
                after.register("rot-3");

                // and an operator's rotation gives the device a token signed with the new key
                Api.Response rotated = after.api.post("/api/v1/devices/rot-1/token", after.operator(), "{}");
                assertEquals(200, rotated.status(), rotated.raw());
                String fresh = rotated.text("token");
                assertEquals(200, after.api.get("/api/v1/devices/rot-1", fresh).status(), "the rotated token works");
                assertTrue(!fresh.equals(deviceToken));
            }
        } finally {
            TempDirs.deleteRecursively(keyDir);
        }
    }
}
