package io.edgesync.agent;

/** Keys of {@code agent_state} the agent itself keeps. */
public final class AgentState {
    /** The device id in use (configured or enrolled). */
    public static final String DEVICE_ID = "device_id";
    /** The token stored by enrolment. */
    public static final String DEVICE_TOKEN = "device_token";
    /** When the stored token expires, as the dispatcher said. */
    public static final String TOKEN_EXPIRES_AT = "token_expires_at";
    /** Why uploads stopped (the gateway answered 401); cleared by enrolment. */
    public static final String SYNC_STOPPED = "sync_stopped";

    private AgentState() {
    }
}
