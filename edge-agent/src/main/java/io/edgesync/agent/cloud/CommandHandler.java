package io.edgesync.agent.cloud;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs one command type on the device. Registered with {@link CommandRunner} under its type. */
@FunctionalInterface
public interface CommandHandler {
    /** What a handler reports back in the acknowledgement. */
    record Outcome(boolean executed, String result) {
        public static Outcome executed(String result) {
            return new Outcome(true, result);
        }

        public static Outcome failed(String reason) {
            return new Outcome(false, reason);
        }
    }

    /** @param payload the command's payload, possibly null */
    Outcome handle(JsonNode payload) throws Exception;

    /** True when an executed outcome's result is JSON text, acknowledged as JSON rather than as a string. */
    default boolean jsonResult() {
        return false;
    }
}
