package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.kafka.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code edgesync topics} creates every contract topic with the replication factor and
 * min.insync.replicas it is given, as the real (single) broker describes them; a replication factor
 * the cluster cannot hold is refused with one clear line and creates nothing.
 */
class TopicReplicationIT {
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void start() {
        dir = TempDirs.create("topic-replication-");
        broker = KafkaBroker.start(dir, 0); // no topics yet: the command creates them
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    record Run(int exit, String err) {
    }

    static Run topics(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = EdgeSyncCli.commandLine().setErr(new PrintWriter(err, true));
        List<String> all = new java.util.ArrayList<>(List.of("topics", "--bootstrap-servers",
                broker.bootstrapServers(), "--partitions", "2"));
        all.addAll(List.of(args));
        return new Run(cli.execute(all.toArray(String[]::new)), err.toString());
    }

    @Test
    void topicsGetTheConfiguredReplicationFactorAndMinInsyncReplicas() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            // GIVEN one broker; WHEN three replicas are asked for THEN it is refused in one line, nothing created
            Run refused = topics("--replication-factor", "3", "--min-insync-replicas", "2");
            assertEquals(1, refused.exit(), refused.err());
            assertTrue(refused.err().startsWith("error: cannot create topics"), refused.err());
            assertTrue(refused.err().contains("InvalidReplicationFactorException"), refused.err());
            assertEquals(1, refused.err().lines().count(), "one line, no stack trace: " + refused.err());
            assertTrue(admin.listTopics().names().get().stream().noneMatch(n -> n.startsWith("telemetry.")),
                    "no topic was created");

            // WHEN the replication factor the cluster has is asked for, with min.insync.replicas 1
            Run ok = topics("--replication-factor", "1", "--min-insync-replicas", "1");
            assertEquals(0, ok.exit(), ok.err());

            // THEN every contract topic has one replica per partition and min.insync.replicas set on the topic
            List<String> names = Topics.ALL.stream().map(t -> t.name()).toList();
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            assertEquals(names.size(), described.size());
            List<ConfigResource> resources = names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            for (String name : names) {
                List<TopicPartitionInfo> partitions = described.get(name).partitions();
                assertEquals(2, partitions.size(), name);
                for (TopicPartitionInfo p : partitions) {
                    assertEquals(1, p.replicas().size(), name + " partition " + p.partition());
                }
                ConfigEntry minIsr = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
                assertEquals("1", minIsr.value(), name);
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, minIsr.source(),
                        name + ": min.insync.replicas is set on the topic, not inherited from the broker");
            }
        }
    }
}
