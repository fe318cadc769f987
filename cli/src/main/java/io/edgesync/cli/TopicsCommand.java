package io.edgesync.cli;

import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.kafka.Topics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgesync topics}: creates the contract topics that are missing (docs/topics.md). */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates the EdgeSync topics that do not exist yet; existing topics are left as they are.")
final class TopicsCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--partitions", defaultValue = "12", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "3",
            description = "Replication factor (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Override
    public Integer call() {
        TopicAdmin.ensureTopics(bootstrap, partitions, replicationFactor);
        Topics.ALL.forEach(t -> System.out.println("topic " + t.name() + " ok"));
        return 0;
    }
}
