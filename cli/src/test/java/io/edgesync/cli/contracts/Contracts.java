package io.edgesync.cli.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The topic contracts of docs/contracts: the value and header schemas of a topic's schema version,
 * loaded from the repository, and the check of one real record against them.
 */
final class Contracts {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private Contracts() {
    }

    static Path dir() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs/contracts"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/contracts above " + System.getProperty("user.dir"));
        }
        return dir.resolve("docs/contracts");
    }

    static Path valueSchemaFile(String topic, int version) {
        return dir().resolve("schemas/" + topic + ".v" + version + ".json");
    }

    static Path headerSchemaFile(String topic, int version) {
        return dir().resolve("schemas/" + topic + ".v" + version + ".headers.json");
    }

    static JsonNode read(Path file) {
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static Schema schema(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return REGISTRY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A record's headers as one JSON object (the last value of a repeated header wins, as Kafka's lastHeader). */
    static ObjectNode headers(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode out = Json.mapper().createObjectNode();
        for (Header h : r.headers()) {
            out.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** What is wrong with {@code r} by the topic's schemas: empty when its headers and value conform. */
    static List<String> violations(ConsumerRecord<byte[], byte[]> r, Schema headers, Schema value) {
        List<String> out = new ArrayList<>();
        for (Error e : headers.validate(headers(r))) {
            out.add("header " + e);
        }
        if (value != null) {
            JsonNode node;
            try {
                node = r.value() == null ? Json.mapper().nullNode() : Json.mapper().readTree(r.value());
            } catch (IOException e) {
                out.add("value is not JSON: " + e.getMessage());
                return out;
            }
            for (Error e : value.validate(node)) {
                out.add("value " + e);
            }
        }
        return out;
    }
}
