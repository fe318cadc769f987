package io.edgesync.sink;

import static io.edgesync.sink.Fixtures.T0;
import static io.edgesync.sink.Fixtures.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink serves /health/live, /health/ready (503 while paused by a database outage) and /metrics. */
class SinkEndpointsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.restartable();

    @Test
    void healthAndMetricsAreServedAndReadinessFollowsTheDatabase() throws Exception {
        try (CockroachSink sink = CockroachSink.start(Fixtures.config(KAFKA.bootstrapServers(), PG.jdbcUrl(),
                "sink-endpoints", Map.of("sink.port", "0", "sink.reconnect-backoff-max", "1s")));
             KafkaProducer<byte[], byte[]> producer = Fixtures.producer(KAFKA.bootstrapServers())) {
            // GIVEN a running sink on a free port that has committed a record
            assertTrue(sink.port() > 0, "bound a free port");
            assertEquals(200, get(sink.url() + "/health/live").statusCode());
            Await.equalTo(WAIT, () -> get(sink.url() + "/health/ready").statusCode(), 200, "ready");
            send(producer, 0);
            Await.until(WAIT, sink::rowsCommitted, n -> n >= 1, "first record committed");

            // THEN /metrics shows the sink's meters
            String metrics = get(sink.url() + "/metrics").body();
            for (String meter : List.of("edgesync_sink_records_committed_total 1.0",
                    "edgesync_sink_rows_written_total", "edgesync_sink_batches_committed_total",
                    "edgesync_sink_failed_attempts_total", "edgesync_sink_pauses_total",
                    "edgesync_sink_dead_letters_total", "edgesync_sink_paused 0.0",
                    "kafka_consumer_fetch_manager_records_consumed_total")) {
                assertTrue(metrics.contains(meter), () -> meter + " missing from:\n" + metrics);
            }

            // WHEN PostgreSQL stops while records arrive, THEN the sink is live but not ready
            PG.server().stop();
            try {
                send(producer, 1);
                Await.equalTo(WAIT, () -> get(sink.url() + "/health/ready").statusCode(), 503, "not ready while paused");
                assertEquals(200, get(sink.url() + "/health/live").statusCode());
                assertTrue(get(sink.url() + "/metrics").body().contains("edgesync_sink_paused 1.0"));
            } finally {
                PG.server().start();
            }

            // AND ready again once the database is back and the record is written
            Await.equalTo(WAIT, () -> get(sink.url() + "/health/ready").statusCode(), 200, "ready after the outage");
            Await.until(WAIT, sink::rowsCommitted, n -> n >= 2, "record written after the outage");
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, int i) {
        Fixtures.send(producer, Topics.TELEMETRY_CLEAN.name(), "endpoints-1", reading("endpoints-1", "r" + i, 1,
                T0 + i, i));
        producer.flush();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
