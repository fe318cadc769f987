package io.edgesync.shared.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the contract topics if they are missing; existing topics are left as they are. */
public final class TopicAdmin {
    private TopicAdmin() {
    }

    private static Map<String, String> configs(Topic<?, ?> topic, Map<String, java.time.Duration> retention) {
        java.time.Duration r = retention.get(topic.name());
        if (r == null) {
            return topic.configs();
        }
        Map<String, String> out = new java.util.HashMap<>(topic.configs());
        out.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis()));
        return out;
    }

    public static void ensureTopics(String bootstrapServers, int partitions, short replicationFactor) {
        ensureTopics(bootstrapServers, partitions, replicationFactor, Map.of());
    }

    /**
     * As above; {@code retention} (topic name → retention) overrides the declared {@code retention.ms}
     * of a topic it creates and is set on a topic that exists already.
     */
    public static void ensureTopics(String bootstrapServers, int partitions, short replicationFactor,
                                    Map<String, java.time.Duration> retention) {
        ensureTopics(new KafkaClients(bootstrapServers, Map.of(), replicationFactor, 1), partitions, retention);
    }

    /**
     * Creates the missing contract topics with {@code partitions} partitions, the clients' replication
     * factor and min.insync.replicas, through an admin client built by {@link KafkaClients};
     * {@code retention} as above.
     */
    public static void ensureTopics(KafkaClients clients, int partitions, Map<String, java.time.Duration> retention) {
        String bootstrapServers = clients.bootstrapServers();
        short replicationFactor = clients.replicationFactor();
        try (Admin admin = Admin.create(clients.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "edgesync-topics")))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), partitions, replicationFactor)
                            .configs(clients.topicConfigs(configs(t, retention))))
                    .toList();
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new java.util.HashMap<>();
            retention.forEach((topic, r) -> {
                if (existing.contains(topic)) {
                    changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                            new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())),
                            AlterConfigOp.OpType.SET)));
                }
            });
            if (!changes.isEmpty()) {
                admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }
}
