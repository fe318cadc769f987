package io.edgesync.cli.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.edgesync.shared.kafka.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The contract files: a header schema for every topic of {@code Topics.ALL} and a value schema for every
 * JSON topic, each a valid draft 2020-12 schema, each compatible with its released copy, and an AsyncAPI
 * document that names every topic and refers only to files that exist.
 */
class ContractFilesTest {
    static final Set<String> BINARY_VALUES = Set.of(Topics.TELEMETRY_DLQ.name());

    static Set<String> topics() {
        return Topics.ALL.stream().map(t -> t.name()).collect(Collectors.toCollection(TreeSet::new));
    }

    static List<Path> files(String dir) throws IOException {
        try (Stream<Path> s = Files.list(Contracts.dir().resolve(dir))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyTopicHasItsSchemasAndEverySchemaIsValidDraft202012() throws IOException {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (String topic : topics()) {
            assertTrue(Files.isRegularFile(Contracts.headerSchemaFile(topic, 1)), "no header schema for " + topic);
            assertEquals(!BINARY_VALUES.contains(topic), Files.isRegularFile(Contracts.valueSchemaFile(topic, 1)),
                    "value schema of " + topic);
        }
        for (Path file : files("schemas")) {
            String topic = file.getFileName().toString().replaceFirst("\\.v[0-9]+(\\.headers)?\\.json$", "");
            assertTrue(topics().contains(topic), file + " names no topic of Topics.ALL");
            List<Error> errors = meta.validate(Contracts.read(file));
            assertEquals(List.of(), errors, file + " is not a valid JSON Schema");
        }
    }

    @Test
    void everySchemaIsReleasedAndCompatibleWithItsReleasedCopy() throws IOException {
        for (Path released : files("released")) {
            Path current = Contracts.dir().resolve("schemas").resolve(released.getFileName());
            assertTrue(Files.isRegularFile(current), "released schema " + released.getFileName()
                    + " was removed: a released version is produced for at least the topic's retention");
            assertEquals(List.of(), SchemaCompatibility.violations(Contracts.read(released), Contracts.read(current)),
                    current.getFileName() + " breaks the compatibility policy of docs/topics.md");
        }
        for (Path current : files("schemas")) {
            assertTrue(Files.isRegularFile(Contracts.dir().resolve("released").resolve(current.getFileName())),
                    current.getFileName() + " has no copy in docs/contracts/released (copy it there when it ships)");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAsyncApiDocumentNamesEveryTopicAndItsSchemas() throws IOException {
        Map<String, Object> doc;
        try (Reader in = Files.newBufferedReader(Contracts.dir().resolve("asyncapi.yaml"))) {
            doc = new Yaml().load(in);
        }
        assertEquals("3.0.0", doc.get("asyncapi"));
        Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) doc.get("channels");
        Set<String> addresses = channels.values().stream().map(c -> (String) c.get("address"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(topics(), addresses);
        Map<String, Object> messages = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("messages");
        for (Map.Entry<String, Map<String, Object>> channel : channels.entrySet()) {
            String topic = (String) channel.getValue().get("address");
            Map<String, Map<String, String>> refs = (Map<String, Map<String, String>>) channel.getValue().get("messages");
            assertEquals(1, refs.size(), topic);
            String ref = refs.values().iterator().next().get("$ref");
            Map<String, Object> message = (Map<String, Object>) messages.get(ref.substring(ref.lastIndexOf('/') + 1));
            assertTrue(message != null, "unresolved " + ref);
            String headers = ((Map<String, String>) message.get("headers")).get("$ref");
            assertEquals(Contracts.headerSchemaFile(topic, 1).normalize(), Contracts.dir().resolve(headers).normalize());
            Map<String, String> payload = (Map<String, String>) message.get("payload");
            if (BINARY_VALUES.contains(topic)) {
                assertTrue(payload.get("$ref") == null, topic);
            } else {
                assertEquals(Contracts.valueSchemaFile(topic, 1).normalize(),
                        Contracts.dir().resolve(payload.get("$ref")).normalize(), topic);
            }
            assertTrue(((Map<String, Object>) ((Map<String, Object>) message.get("bindings")).get("kafka"))
                    .containsKey("key"), topic + ": key format");
        }
        Map<String, Map<String, Object>> operations = (Map<String, Map<String, Object>>) doc.get("operations");
        for (String channel : channels.keySet()) {
            assertTrue(operations.values().stream().anyMatch(o -> o.get("action").equals("send")
                    && ((Map<String, String>) o.get("channel")).get("$ref").equals("#/channels/" + channel)),
                    "no send operation on " + channel);
        }
    }
}
