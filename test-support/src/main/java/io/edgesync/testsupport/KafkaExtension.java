package io.edgesync.testsupport;

import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.kafka.TopicAdmin;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one real Kafka broker per test class, with the contract topics created.
 * Use as {@code @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();}.
 */
public final class KafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private final int partitions;
    private Path dataDir;
    private KafkaBroker broker;

    public KafkaExtension() {
        this(3);
    }

    public KafkaExtension(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        dataDir = TempDirs.create("kafka-");
        broker = KafkaBroker.start(dataDir, 0);
        TopicAdmin.ensureTopics(broker.bootstrapServers(), partitions, (short) 1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            TempDirs.deleteRecursively(dataDir);
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public KafkaBroker broker() {
        return broker;
    }
}
