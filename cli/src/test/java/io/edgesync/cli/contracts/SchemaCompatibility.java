package io.edgesync.cli.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The compatibility policy of docs/topics.md ("Compatibility"), as a check between a released schema
 * and its successor of the same {@code schema-version}. Within a version a schema may only gain
 * optional properties (where {@code additionalProperties} is not false, so consumers of the released
 * schema already accept them) and change annotations ({@code title}, {@code description},
 * {@code $comment}, {@code examples}, {@code deprecated}). Everything else (a property removed or
 * retyped, a property made required or optional, an enum or const changed, a bound tightened or
 * loosened, a keyword added or removed, {@code additionalProperties} closed) breaks records already in
 * the topic or consumers already deployed, so it needs a new schema version.
 */
final class SchemaCompatibility {
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$comment", "examples",
            "deprecated");

    private SchemaCompatibility() {
    }

    /** Every violation of the policy, as {@code path: what}; empty when {@code next} may replace {@code released}. */
    static List<String> violations(JsonNode released, JsonNode next) {
        List<String> out = new ArrayList<>();
        compare("#", released, next, out);
        return out;
    }

    private static void compare(String path, JsonNode was, JsonNode now, List<String> out) {
        if (was.isObject() && now.isObject()) {
            compareObjects(path, was, now, out);
        } else if (was.isArray() && now.isArray()) {
            if (was.size() != now.size()) {
                out.add(path + ": changed from " + was + " to " + now);
                return;
            }
            for (int i = 0; i < was.size(); i++) {
                compare(path + "/" + i, was.get(i), now.get(i), out);
            }
        } else if (!was.equals(now)) {
            out.add(path + ": changed from " + was + " to " + now);
        }
    }

    private static void compareObjects(String path, JsonNode was, JsonNode now, List<String> out) {
        Set<String> keys = new TreeSet<>();
        was.fieldNames().forEachRemaining(keys::add);
        now.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (ANNOTATIONS.contains(key)) {
                continue;
            }
            String at = path + "/" + key;
            JsonNode before = was.get(key);
            JsonNode after = now.get(key);
            if (key.equals("properties") && before != null && after != null) {
                compareProperties(at, was, now, out);
            } else if (key.equals("required") && before != null && after != null) {
                Set<String> a = strings(before);
                Set<String> b = strings(after);
                for (String name : b) {
                    if (!a.contains(name)) {
                        out.add(at + ": " + name + " became required");
                    }
                }
                for (String name : a) {
                    if (!b.contains(name)) {
                        out.add(at + ": " + name + " is no longer required");
                    }
                }
            } else if (key.equals("$defs") && before != null && after != null) {
                // a new definition changes nothing until something refers to it
                for (Iterator<String> it = before.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (!after.has(name)) {
                        out.add(at + "/" + name + ": definition removed");
                    } else {
                        compare(at + "/" + name, before.get(name), after.get(name), out);
                    }
                }
            } else if (before == null) {
                out.add(at + ": keyword added (" + after + ")");
            } else if (after == null) {
                out.add(at + ": keyword removed (was " + before + ")");
            } else {
                compare(at, before, after, out);
            }
        }
    }

    private static void compareProperties(String at, JsonNode was, JsonNode now, List<String> out) {
        JsonNode before = was.get("properties");
        JsonNode after = now.get("properties");
        for (Iterator<String> it = before.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!after.has(name)) {
                out.add(at + "/" + name + ": property removed");
            } else {
                compare(at + "/" + name, before.get(name), after.get(name), out);
            }
        }
        boolean closed = was.path("additionalProperties").isBoolean() && !was.path("additionalProperties").asBoolean();
        Set<String> required = strings(now.path("required"));
        for (Iterator<String> it = after.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (before.has(name)) {
                continue;
            }
            if (closed) {
                out.add(at + "/" + name + ": property added where additionalProperties is false");
            } else if (was.path("additionalProperties").isObject()
                    && !withinType(was.path("additionalProperties"), after.get(name))) {
                out.add(at + "/" + name + ": property added outside the type additionalProperties allows");
            } else if (required.contains(name)) {
                // reported by the "required" comparison as well; named here for a clear message
                out.add(at + "/" + name + ": new property is required");
            }
        }
    }

    /** Whether every value {@code property} admits is of the one {@code type} that {@code unknown} requires. */
    private static boolean withinType(JsonNode unknown, JsonNode property) {
        String type = unknown.path("type").asText("");
        if (type.isEmpty() || unknown.size() != 1) {
            return false;
        }
        if (property.path("type").asText("").equals(type)) {
            return true;
        }
        if (!type.equals("string")) {
            return false;
        }
        if (property.has("const")) {
            return property.get("const").isTextual();
        }
        if (property.has("enum")) {
            for (JsonNode v : property.get("enum")) {
                if (!v.isTextual()) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
