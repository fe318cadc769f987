package io.edgesync.agent;

import io.edgesync.agent.cloud.DispatcherClient;
import io.edgesync.agent.store.LocalStore;
import io.edgesync.agent.sync.UploadException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the device with a fleet enrollment key ({@code POST /api/v1/devices/register}) and
 * keeps the device id and token it got in {@code agent_state}; a successful enrolment also lifts
 * a stop caused by a 401. Re-enrolling an existing device sends its stored token as
 * {@code previousToken}: the dispatcher then issues a new token if that was the device's current
 * one (expired is fine) and answers 403 if the device was revoked.
 */
public final class Enroller {
    private static final Logger LOG = LoggerFactory.getLogger(Enroller.class);

    private final LocalStore store;
    private final DispatcherClient client;

    public Enroller(LocalStore store, DispatcherClient client) {
        this.store = Objects.requireNonNull(store);
        this.client = Objects.requireNonNull(client);
    }

    public DispatcherClient.Enrollment enrol(String enrollmentKey, String deviceId, String deviceType)
            throws UploadException {
        if (enrollmentKey == null || enrollmentKey.isBlank()) {
            throw new IllegalArgumentException("agent.enrollment-key is required to enrol");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        String id = deviceId != null ? deviceId : store.state(AgentState.DEVICE_ID);
        if (id != null) {
            body.put("deviceId", id);
            String previous = store.state(AgentState.DEVICE_TOKEN);
            if (previous != null && id.equals(store.state(AgentState.DEVICE_ID))) {
                // proves this device held the id: an expired token re-enrols, a revoked one is a 403
                body.put("previousToken", previous);
            }
        }
        body.put("name", id != null ? id : "edge-agent");
        body.put("deviceType", deviceType);
        DispatcherClient.Enrollment enrollment = client.register(enrollmentKey, body);
        store.putState(AgentState.DEVICE_ID, enrollment.deviceId());
        store.putState(AgentState.DEVICE_TOKEN, enrollment.token());
        store.putState(AgentState.TOKEN_EXPIRES_AT, enrollment.expiresAt());
        store.putState(AgentState.SYNC_STOPPED, null);
        LOG.info("event=enrolled device={} expires_at={}", enrollment.deviceId(), enrollment.expiresAt());
        return enrollment;
    }
}
