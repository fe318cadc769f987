package io.edgesync.dispatcher.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A group command as the API shows it: what was sent, to which selector ({@code type} device, type,
 * label or ids; for ids the list is not repeated, {@code value} is null), how many devices it was
 * fanned out to ({@code devices}), and {@code counts}: its commands per status, every status present
 * (a command past its TTL counts as expired). {@code cancelledNow}: commands a cancel just cancelled.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandGroupView(String groupId, String commandType, JsonNode payload, Selector selector, int devices,
                               long ttlSeconds, String createdBy, String createdAt, String cancelledAt,
                               Map<String, Integer> counts, Integer cancelledNow) {

    /** The selector as the group was created with. */
    public record Selector(String type, String value) {
    }

    CommandGroupView withCounts(Map<String, Integer> c) {
        return new CommandGroupView(groupId, commandType, payload, selector, devices, ttlSeconds, createdBy,
                createdAt, cancelledAt, c, cancelledNow);
    }

    CommandGroupView withCancelled(int n) {
        return new CommandGroupView(groupId, commandType, payload, selector, devices, ttlSeconds, createdBy,
                createdAt, cancelledAt, counts, n);
    }
}
