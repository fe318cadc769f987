package io.edgesync.testsupport;

import io.edgesync.embedded.KafkaBroker;
import io.edgesync.shared.kafka.TopicAdmin;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The project's Kafka broker alone in a JVM, for tests that kill it with SIGKILL (run it with
 * {@link ChildJvm}). Arguments: data directory, port, partitions of the contract topics. Creates
 * the contract topics if missing, prints {@link #READY}, and runs until killed or its stdin closes.
 */
public final class KafkaBrokerChild {
    public static final String READY = "KAFKA_BROKER_READY";

    private KafkaBrokerChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaBroker broker = KafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
        TopicAdmin.ensureTopics(broker.bootstrapServers(), Integer.parseInt(args[2]), (short) 1);
        System.out.println(READY + " bootstrap=" + broker.bootstrapServers());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
