package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.deploy.DeploymentView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Device selectors in request bodies, shared by deployments and group commands: {@code {deviceId}},
 * {@code {deviceType}}, {@code {label: "key=value"}} (metadata.labels) and, for group commands only,
 * {@code {deviceIds: [...]}} (selector type {@code ids}, value the ids joined by commas).
 */
public final class Selectors {
    private static final String FORMS = "must be exactly one of {deviceId}, {deviceType} or {label: \"key=value\"}";
    private static final String FORMS_WITH_IDS =
            "must be exactly one of {deviceId}, {deviceType}, {label: \"key=value\"} or {deviceIds: [...]}";

    private Selectors() {
    }

    /** A deployment's selector. */
    public static DeploymentView.Selector single(JsonNode sel) {
        return parse(sel, 0);
    }

    /** A group command's selector; {@code deviceIds} may list at most {@code maxIds} distinct ids. */
    public static DeploymentView.Selector group(JsonNode sel, int maxIds) {
        return parse(sel, maxIds);
    }

    private static DeploymentView.Selector parse(JsonNode sel, int maxIds) {
        String forms = maxIds > 0 ? FORMS_WITH_IDS : FORMS;
        if (sel == null || !sel.isObject() || sel.size() != 1) {
            throw Requests.invalid("selector", forms);
        }
        if (sel.has("deviceId")) {
            return new DeploymentView.Selector("device",
                    Requests.id(Requests.text(sel, "deviceId", true, 128), "selector.deviceId"));
        }
        if (sel.has("deviceType")) {
            return new DeploymentView.Selector("type", Requests.text(sel, "deviceType", true, 100));
        }
        if (sel.has("label")) {
            String label = Requests.text(sel, "label", true, 300);
            int eq = label.indexOf('=');
            if (eq <= 0 || eq == label.length() - 1) {
                throw Requests.invalid("selector.label", "must be key=value");
            }
            return new DeploymentView.Selector("label", label);
        }
        if (maxIds > 0 && sel.has("deviceIds")) {
            return new DeploymentView.Selector("ids", String.join(",", ids(sel.get("deviceIds"), maxIds)));
        }
        throw Requests.invalid("selector", forms);
    }

    private static List<String> ids(JsonNode array, int maxIds) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw Requests.invalid("selector.deviceIds", "must be a non-empty array of device ids");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode id : array) {
            if (!id.isTextual()) {
                throw Requests.invalid("selector.deviceIds", "must be an array of strings");
            }
            out.add(Requests.id(id.asText(), "selector.deviceIds"));
        }
        if (out.size() > maxIds) {
            throw Requests.invalid("selector.deviceIds", "may list at most " + maxIds + " devices");
        }
        return new ArrayList<>(out);
    }
}
