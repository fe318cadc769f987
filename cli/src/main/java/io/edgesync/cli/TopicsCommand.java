package io.edgesync.cli;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgesync topics}: creates the contract topics that are missing (docs/topics.md), with the
 * replication factor and min.insync.replicas asked for, through the same Kafka client properties as
 * the services ({@code kafka.properties.*} from {@code --config}, the environment or {@code -p}).
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates the EdgeSync topics that do not exist yet; existing topics are left as they are. "
            + "Kafka client properties (security.protocol, SASL, truststores): kafka.properties.* in --config or "
            + "EDGESYNC_KAFKA_PROPERTIES_*, or -p name=value.")
public final class TopicsCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: kafka.bootstrap-servers).")
    String bootstrap;

    @Option(names = "--partitions", defaultValue = "12", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "3",
            description = "Replication factor (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--retention", paramLabel = "TOPIC=DURATION",
            description = "Retention of a topic (e.g. telemetry.raw=90d), set on creation and on an existing topic; "
                    + "repeatable. Default: as in docs/topics.md.")
    Map<String, String> retention = new LinkedHashMap<>();

    @Option(names = "--min-insync-replicas", defaultValue = "2",
            description = "min.insync.replicas of each topic (default: ${DEFAULT-VALUE}; lowered to the replication "
                    + "factor when larger).")
    int minInsync;

    @Option(names = "--config", description = "YAML configuration file (kafka.bootstrap-servers, kafka.properties.*).")
    Path configFile;

    @Option(names = {"-p", "--property"}, paramLabel = "NAME=VALUE",
            description = "A Kafka client property (repeatable), e.g. -p security.protocol=SASL_SSL.")
    Map<String, String> properties = new HashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, Duration> parsed = new LinkedHashMap<>();
        Set<String> names = Topics.ALL.stream().map(t -> t.name()).collect(Collectors.toSet());
        retention.forEach((topic, value) -> {
            if (!names.contains(topic)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--retention: " + topic
                        + " is not an EdgeSync topic (see docs/topics.md)");
            }
            try {
                Duration d = Setting.parseDuration(value);
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("not positive");
                }
                parsed.put(topic, d);
            } catch (RuntimeException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--retention " + topic + "=" + value
                        + ": a positive duration such as 90d, 12h or PT36H");
            }
        });
        ConfigSource source = ConfigSource.load(configFile, System.getenv());
        Map<String, String> passThrough = new HashMap<>(source.withPrefix(KafkaClients.PREFIX));
        passThrough.putAll(properties);
        KafkaClients clients = new KafkaClients(bootstrap != null ? bootstrap : source.get(KafkaClients.BOOTSTRAP),
                passThrough, replicationFactor, Math.min(minInsync, replicationFactor));
        TopicAdmin.ensureTopics(clients, partitions, parsed);
        Topics.ALL.forEach(t -> System.out.println("topic " + t.name() + " ok"));
        return 0;
    }
}
