package io.edgesync.cli.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The compatibility policy of docs/topics.md on the released telemetry.clean schema: what may change within a version. */
class SchemaCompatibilityTest {
    static final JsonNode RELEASED = Contracts.read(Contracts.dir().resolve("released/telemetry.clean.v1.json"));

    static List<String> after(Consumer<ObjectNode> change) {
        ObjectNode next = RELEASED.deepCopy();
        change.accept(next);
        return SchemaCompatibility.violations(RELEASED, next);
    }

    static ObjectNode property(ObjectNode schema, String name) {
        return (ObjectNode) schema.path("properties").path(name);
    }

    @Test
    void anUnchangedSchemaIsCompatible() {
        assertEquals(List.of(), after(s -> { }));
    }

    @Test
    void aNewOptionalPropertyAndNewWordingAreAllowed() {
        assertEquals(List.of(), after(s -> {
            ((ObjectNode) s.path("properties")).putObject("firmware").put("type", "string").put("maxLength", 64);
            s.put("description", "reworded");
            property(s, "unit").put("description", "the unit, e.g. celsius");
        }));
    }

    @Test
    void aNewRequiredPropertyIsForbidden() {
        List<String> v = after(s -> {
            ((ObjectNode) s.path("properties")).putObject("firmware").put("type", "string");
            ((ArrayNode) s.path("required")).add("firmware");
        });
        assertTrue(v.contains("#/required: firmware became required"), v.toString());
    }

    @Test
    void removingOrRetypingAPropertyIsForbidden() {
        assertEquals(List.of("#/properties/unit: property removed"),
                after(s -> ((ObjectNode) s.path("properties")).remove("unit")));
        assertEquals(List.of("#/properties/value/type: changed from \"number\" to \"string\""),
                after(s -> property(s, "value").put("type", "string")));
    }

    @Test
    void makingAnOptionalPropertyRequiredOrTheReverseIsForbidden() {
        assertEquals(List.of("#/required: unit became required"),
                after(s -> ((ArrayNode) s.path("required")).add("unit")));
        assertEquals(List.of("#/required: sensorId is no longer required"), after(s -> {
            ArrayNode required = (ArrayNode) s.path("required");
            for (int i = 0; i < required.size(); i++) {
                if (required.get(i).asText().equals("sensorId")) {
                    required.remove(i);
                }
            }
        }));
    }

    @Test
    void changedBoundsAndAClosedObjectAreForbidden() {
        assertEquals(List.of("#/properties/id/maxLength: changed from 256 to 128"),
                after(s -> property(s, "id").put("maxLength", 128)));
        assertEquals(List.of("#/properties/id/maxLength: changed from 256 to 512"),
                after(s -> property(s, "id").put("maxLength", 512)));
        assertEquals(List.of("#/properties/unit/pattern: keyword added (\"^[a-z]+$\")"),
                after(s -> property(s, "unit").put("pattern", "^[a-z]+$")));
        assertEquals(List.of("#/additionalProperties: changed from true to false"),
                after(s -> s.put("additionalProperties", false)));
    }
}
