package io.edgesync.processor;

import io.edgesync.shared.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The stream processor as a separate JVM, for tests that kill it (run with
 * {@link io.edgesync.testsupport.ChildJvm}). Arguments: bootstrap servers, application id, state
 * directory. Prints {@link #RUNNING} once the topology runs; runs until killed or stopped.
 */
public final class ProcessorChild {
    public static final String RUNNING = "CHILD_PROCESSOR_RUNNING";

    private ProcessorChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessorConfig config = ProcessorConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", args[0],
                "processor.application-id", args[1],
                "processor.state-dir", args[2],
                "processor.session-timeout", "6s",
                "processor.port", "-1",
                "processor.stats-interval", "1s",
                "processor.commit-interval", "100ms")));
        StreamProcessor processor = StreamProcessor.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(processor::close, "processor-stop"));
        if (!processor.awaitRunning(Duration.ofMinutes(3))) {
            System.out.println("CHILD_PROCESSOR_FAILED state=" + processor.state());
            System.exit(1);
        }
        System.out.println(RUNNING);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
