package io.edgesync.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.cli.functions.ApiOptions;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgesync dlq list|show|redrive}: dead letters of {@code telemetry.dlq} with their reasons and
 * source offsets, and redrive of selected ones back to {@code telemetry.raw}. Redrive is idempotent
 * through the processor's deduplication: only letters carrying a record identity (deviceId, id) are
 * redriven, unchanged but for the dlq headers (and, with {@code --key-from-record}, the key), so a
 * letter redriven twice is a duplicate the second time and lands in {@code telemetry.clean} once.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Dead letters (telemetry.dlq): list with reasons and source offsets, show one, redrive selected "
                + "ones to telemetry.raw idempotently. Exit codes: docs/operations.md.")
public final class DlqCommand {
    static final String RAW = "telemetry.raw";
    static final String REDRIVEN_FROM = "edgesync.redriven-from";

    @Spec
    CommandSpec spec;
    @Mixin
    Output output;

    @Option(names = "--kafka", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Kafka bootstrap servers (default: kafka.bootstrap-servers as the services read it, env "
                    + "EDGESYNC_KAFKA_BOOTSTRAP_SERVERS; the old EDGESYNC_KAFKA_BOOTSTRAP still works, deprecated; "
                    + "else 127.0.0.1:9092).")
    String kafkaOption;
    private String kafka;

    @Option(names = {"-p", "--property"}, paramLabel = "NAME=VALUE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "A Kafka client property (repeatable), e.g. -p security.protocol=SASL_SSL; "
                    + "EDGESYNC_KAFKA_PROPERTIES_* from the environment too.")
    Map<String, String> properties = new java.util.HashMap<>();

    @Command(name = "list", description = "Dead letters, oldest first per partition: id (partition:offset), reason, "
            + "service, source topic/partition/offset, key, detail.")
    int list(@Option(names = "--reason", description = "Only this dlq.reason.") String reason,
             @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).") int limit) {
        List<DeadLetters.Letter> letters = read();
        if (letters == null) {
            return ApiOptions.UNREACHABLE;
        }
        ArrayNode json = Json.mapper().createArrayNode();
        Table t = new Table("ID", "REASON", "SERVICE", "SOURCE", "KEY", "DETAIL");
        int n = 0;
        for (DeadLetters.Letter l : letters) {
            if ((reason == null || reason.equals(l.header("dlq.reason"))) && n++ < limit) {
                json.add(summary(l));
                t.row(l.id(), l.header("dlq.reason"), l.header("dlq.service"), source(l), text(l.key()),
                        l.header("dlq.detail"));
            }
        }
        ObjectNode out = Json.mapper().createObjectNode().put("total", n);
        out.set("letters", json);
        output.print(out, t.toString() + n + " dead letter(s)" + (n > limit ? ", " + limit + " shown" : "") + "\n", out());
        return 0;
    }

    @Command(name = "show", description = "One dead letter: every header, the key and the value.")
    int show(@Parameters(paramLabel = "ID", description = "partition:offset in telemetry.dlq") String id) {
        List<DeadLetters.Letter> letters = read();
        if (letters == null) {
            return ApiOptions.UNREACHABLE;
        }
        for (DeadLetters.Letter l : letters) {
            if (l.id().equals(id)) {
                ObjectNode s = summary(l);
                ObjectNode headers = s.putObject("headers");
                l.headers().forEach(h -> headers.put(h.key(), h.value() == null ? null : text(h.value())));
                s.put("value", l.value() == null ? null : text(l.value()));
                Table t = new Table("FIELD", "VALUE");
                t.row("id", l.id()).row("key", text(l.key())).row("timestamp", l.timestamp());
                l.headers().forEach(h -> t.row("header " + h.key(), h.value() == null ? null : text(h.value())));
                t.row("value", l.value() == null ? null : text(l.value()));
                output.print(s, t.toString(), out());
                return 0;
            }
        }
        err().println("no dead letter " + id + " in " + DeadLetters.TOPIC);
        err().flush();
        return ApiOptions.ERROR;
    }

    @Command(name = "redrive", description = "Sends the selected letters back to telemetry.raw (without their dlq.* "
            + "headers, with edgesync.redriven-from). Only letters from telemetry.raw with a record identity (deviceId, "
            + "id) are redriven, so running it twice lands each once. Exit 1 when a selected letter was not redriven.")
    int redrive(@Parameters(arity = "0..*", paramLabel = "ID", description = "partition:offset ids") List<String> ids,
                @Option(names = "--reason", description = "Every letter with this dlq.reason.") String reason,
                @Option(names = "--key-from-record", description = "Use the record's deviceId as the key (the fix for "
                        + "device_mismatch and missing_key).") boolean keyFromRecord,
                @Option(names = "--dry-run", description = "Show what would be redriven; send nothing.") boolean dryRun) {
        Set<String> wanted = new LinkedHashSet<>(ids == null ? List.of() : ids);
        if (wanted.isEmpty() && reason == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name letters by ID or --reason");
        }
        List<DeadLetters.Letter> letters = read();
        if (letters == null) {
            return ApiOptions.UNREACHABLE;
        }
        List<DeadLetters.Letter> chosen = new ArrayList<>();
        for (DeadLetters.Letter l : letters) {
            if (wanted.remove(l.id()) || (reason != null && reason.equals(l.header("dlq.reason")))) {
                chosen.add(l);
            }
        }
        ArrayNode results = Json.mapper().createArrayNode();
        Table t = new Table("ID", "RESULT", "WHY");
        boolean all = wanted.isEmpty();
        for (String missing : wanted) {
            results.addObject().put("id", missing).put("result", "not_found");
            t.row(missing, "not found", "no such letter in " + DeadLetters.TOPIC);
        }
        try (KafkaProducer<byte[], byte[]> producer = dryRun ? null : producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            List<ObjectNode> sentRows = new ArrayList<>();
            for (DeadLetters.Letter l : chosen) {
                String why = refusal(l);
                ObjectNode r = results.addObject().put("id", l.id());
                if (why != null) {
                    all = false;
                    r.put("result", "skipped").put("reason", why);
                    t.row(l.id(), "skipped", why);
                    continue;
                }
                byte[] key = keyFromRecord ? record(l).path("deviceId").asText().getBytes(StandardCharsets.UTF_8)
                        : l.key();
                if (dryRun) {
                    r.put("result", "would_redrive");
                    t.row(l.id(), "would redrive", "key " + text(key));
                    continue;
                }
                sent.add(producer.send(new ProducerRecord<>(RAW, null, key, l.value(), headers(l))));
                sentRows.add(r);
            }
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                ObjectNode r = sentRows.get(i).put("result", "redriven").put("partition", m.partition())
                        .put("offset", m.offset());
                t.row(r.path("id").asText(), "redriven", RAW + " " + m.partition() + ":" + m.offset());
            }
        } catch (ExecutionException | KafkaException e) {
            err().println("cannot write to " + RAW + " at " + kafka + ": " + e);
            err().flush();
            return ApiOptions.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiOptions.UNREACHABLE;
        }
        ObjectNode out = Json.mapper().createObjectNode().put("complete", all);
        out.set("letters", results);
        output.print(out, t.toString(), out());
        return all ? 0 : ApiOptions.ERROR;
    }

    /** Why a letter cannot be redriven safely, or null. */
    private static String refusal(DeadLetters.Letter l) {
        String source = l.header("dlq.source.topic");
        if (source != null && !RAW.equals(source)) {
            return "from " + source + ", not " + RAW;
        }
        if (l.value() == null) {
            return "no value (the original is at " + RAW + " " + l.header("dlq.source.partition") + ":"
                    + l.header("dlq.source.offset") + ")";
        }
        JsonNode r = record(l);
        if (r == null || !r.path("deviceId").isTextual() || !r.path("id").isTextual()) {
            return "no record identity (deviceId, id): a redrive could not be deduplicated";
        }
        return null;
    }

    private static JsonNode record(DeadLetters.Letter l) {
        try {
            JsonNode n = Json.mapper().readTree(l.value());
            return n != null && n.isObject() ? n : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static List<Header> headers(DeadLetters.Letter l) {
        List<Header> out = new ArrayList<>();
        for (Header h : l.headers()) {
            if (!h.key().startsWith("dlq.") && !h.key().startsWith("__streams.") && !h.key().equals(REDRIVEN_FROM)) {
                out.add(h);
            }
        }
        out.add(new RecordHeader(REDRIVEN_FROM, (DeadLetters.TOPIC + ":" + l.id()).getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(clients().producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000, ProducerConfig.CLIENT_ID_CONFIG, "edgesync-cli-redrive")),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** --kafka, then EDGESYNC_KAFKA_PROPERTIES_* and -p as kafka.properties.* (KafkaClients). */
    private io.edgesync.shared.kafka.KafkaClients clients() {
        if (kafka == null) {
            kafka = KafkaBootstrap.resolve(kafkaOption, System.getenv(), err());
        }
        Map<String, String> passThrough = new java.util.HashMap<>(io.edgesync.shared.config.ConfigSource.load(null,
                System.getenv()).withPrefix(io.edgesync.shared.kafka.KafkaClients.PREFIX));
        passThrough.putAll(properties);
        return new io.edgesync.shared.kafka.KafkaClients(kafka, passThrough, (short) 1, 1);
    }

    private List<DeadLetters.Letter> read() {
        try {
            return DeadLetters.readAll(clients());
        } catch (KafkaException | IllegalStateException e) {
            err().println("cannot read " + DeadLetters.TOPIC + " at " + kafka + ": " + e.getMessage());
            err().flush();
            return null;
        }
    }

    private static ObjectNode summary(DeadLetters.Letter l) {
        return Json.mapper().createObjectNode().put("id", l.id()).put("partition", l.partition())
                .put("offset", l.offset()).put("timestamp", l.timestamp()).put("reason", l.header("dlq.reason"))
                .put("detail", l.header("dlq.detail")).put("service", l.header("dlq.service"))
                .put("sourceTopic", l.header("dlq.source.topic"))
                .put("sourcePartition", l.header("dlq.source.partition"))
                .put("sourceOffset", l.header("dlq.source.offset")).put("key", l.key() == null ? null : text(l.key()));
    }

    private static String source(DeadLetters.Letter l) {
        String topic = l.header("dlq.source.topic");
        return topic == null ? null : topic + " " + l.header("dlq.source.partition") + ":" + l.header("dlq.source.offset");
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
