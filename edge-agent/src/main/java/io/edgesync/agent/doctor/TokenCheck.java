package io.edgesync.agent.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * What can be told about the device token without the control plane: that there is one, that it is a
 * JWT, which device it names and when it expires. Whether the services still accept it (not revoked)
 * is the endpoint checks' {@code auth} step.
 */
final class TokenCheck {
    private TokenCheck() {
    }

    static Finding check(String token, String deviceId, DoctorLimits limits, Clock clock) {
        if (token == null || token.isBlank()) {
            return Finding.fail("token", "no device token (agent.token unset and none stored by enrolment)",
                    "enroll the device: `edgesync agent enroll` with agent.enrollment-key, or set agent.token");
        }
        String[] parts = token.split("\\.");
        JsonNode claims;
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("not three dot-separated parts");
            }
            claims = Json.mapper().readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (Exception e) {
            return Finding.fail("token", "the device token is not a JWT (" + e.getMessage() + ")",
                    "set agent.token to the token the dispatcher issued, or re-enroll");
        }
        String subject = claims.path("sub").asText(null);
        if (deviceId != null && subject != null && !subject.equals(deviceId)) {
            return Finding.fail("token", "the token names device " + subject + ", this agent is " + deviceId,
                    "use this device's own token (re-enroll, or fix agent.device-id / agent.token)");
        }
        if (!claims.path("exp").canConvertToLong()) {
            return Finding.ok("token", "for " + subject + ", no expiry");
        }
        Instant expires = Instant.ofEpochSecond(claims.path("exp").asLong());
        Duration left = Duration.between(clock.instant(), expires);
        if (left.isNegative() || left.isZero()) {
            return Finding.fail("token", "for " + subject + ", expired at " + expires,
                    "re-enroll (`edgesync agent enroll`) or ask an operator to issue a new token; check the clock"
                            + " check below first: a wrong clock makes a valid token look expired");
        }
        if (left.compareTo(limits.tokenRenewal()) < 0) {
            return Finding.warn("token", "for " + subject + ", expires at " + expires + " (in "
                    + StoreChecks.human(left) + ")", "rotate it before then: POST /api/v1/devices/{id}/token");
        }
        return Finding.ok("token", "for " + subject + ", expires at " + expires);
    }
}
