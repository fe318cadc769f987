package io.edgesync.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The processor serves /health/live, /health/ready (once RUNNING) and /metrics with Kafka Streams meters. */
class ProcessorEndpointsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private Path stateDir;

    @AfterEach
    void deleteState() {
        TempDirs.deleteRecursively(stateDir);
    }

    @Test
    void healthAndMetricsAreServedOnAFreePort() throws Exception {
        stateDir = TempDirs.create("processor-endpoints-");
        try (StreamProcessor processor = StreamProcessor.start(config("0"))) {
            // GIVEN a processor started on a free port
            assertTrue(processor.port() > 0, "bound a free port");
            assertEquals(200, get(processor.url() + "/health/live").statusCode());

            // WHEN it is RUNNING, THEN it is ready
            Await.equalTo(WAIT, () -> get(processor.url() + "/health/ready").statusCode(), 200, "ready");
            assertEquals(200, get(processor.url() + "/health/live").statusCode());

            // AND /metrics shows the running gauge and the Kafka Streams meters
            String metrics = get(processor.url() + "/metrics").body();
            for (String meter : List.of("edgesync_processor_running 1.0", "kafka_stream_alive_stream_threads",
                    "kafka_stream_thread_process_total")) {
                assertTrue(metrics.contains(meter), () -> meter + " missing from:\n" + metrics);
            }
        }
    }

    @Test
    void portMinusOneTurnsTheServerOff() throws Exception {
        stateDir = TempDirs.create("processor-endpoints-off-");
        try (StreamProcessor processor = StreamProcessor.start(config("-1"))) {
            assertEquals(-1, processor.port());
            assertThrows(IllegalStateException.class, processor::url);
        }
    }

    private ProcessorConfig config(String port) {
        return ProcessorConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "processor.application-id", "endpoints-it-" + port.replace("-", "m"),
                "processor.state-dir", stateDir.toString(),
                "processor.session-timeout", "6s",
                "processor.port", port)));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
