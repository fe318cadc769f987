package io.edgesync.cli;

import io.edgesync.shared.config.Setting;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.kafka.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgesync topics}: creates the contract topics that are missing (docs/topics.md). */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates the EdgeSync topics that do not exist yet; existing topics are left as they are.")
public final class TopicsCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
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
        TopicAdmin.ensureTopics(bootstrap, partitions, replicationFactor, parsed);
        Topics.ALL.forEach(t -> System.out.println("topic " + t.name() + " ok"));
        return 0;
    }
}
