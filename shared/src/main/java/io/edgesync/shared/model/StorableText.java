package io.edgesync.shared.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Text that PostgreSQL and CockroachDB can store in TEXT and JSONB: no NUL character and no lone
 * UTF-16 surrogate (JSON's {@code \u0000} and an unpaired {@code \ud800} escape parse into Java
 * strings, but neither database accepts them). The gateway, the agent and the processor all use it
 * through {@link RecordValidator}.
 */
public final class StorableText {
    private StorableText() {
    }

    /** True when every character can be stored. */
    public static boolean ok(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** True when every field name and string value in the tree can be stored. */
    public static boolean ok(JsonNode node) {
        if (node.isTextual()) {
            return ok(node.textValue());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!ok(e.getKey()) || !ok(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (!ok(element)) {
                    return false;
                }
            }
        }
        return true;
    }
}
