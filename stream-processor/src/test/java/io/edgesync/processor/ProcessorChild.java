package io.edgesync.processor;

import io.edgesync.shared.config.ConfigSource;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The stream processor as a separate JVM, for tests that kill it. Arguments: bootstrap servers,
 * application id, state directory. Prints {@link #RUNNING} once the topology runs; stops cleanly
 * when its standard input closes (so it never outlives the test that started it).
 */
public final class ProcessorChild {
    public static final String RUNNING = "CHILD_PROCESSOR_RUNNING";

    private ProcessorChild() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        ProcessorConfig config = ProcessorConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", args[0],
                "processor.application-id", args[1],
                "processor.state-dir", args[2],
                "processor.session-timeout", "6s",
                "processor.port", "-1",
                "processor.stats-interval", "1s",
                "processor.commit-interval", "100ms")));
        try (StreamProcessor processor = StreamProcessor.start(config)) {
            if (!processor.awaitRunning(Duration.ofMinutes(3))) {
                System.out.println("CHILD_PROCESSOR_FAILED state=" + processor.state());
                System.exit(1);
            }
            System.out.println(RUNNING);
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin (or die)
            }
        }
    }
}
