package io.edgesync.gateway;

import static io.edgesync.gateway.Uploads.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker goes away under load: no record answered 2xx may be missing from telemetry.raw. */
class GatewayDurabilityIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    IngestGateway gateway;

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
        KAFKA.broker().start();
    }

    private IngestGateway startGateway() {
        return IngestGateway.start(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "gateway.port", "0",
                "gateway.auth-mode", "none",
                "gateway.produce-timeout", "4s")));
    }

    @Test
    void noTwoHundredForARecordThatIsNotInTelemetryRaw() throws Exception {
        // GIVEN a gateway under steady load from 4 devices
        gateway = startGateway();
        Await.equalTo(Duration.ofSeconds(60), gateway::ready, true, "gateway ready");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicBoolean load = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            String device = "durable-" + c;
            running.add(clients.submit(() -> {
                for (int batch = 0; load.get(); batch++) {
                    String prefix = device + "-b" + batch;
                    int status;
                    try {
                        HttpResponse<String> r = Uploads.post(HTTP, gateway.url(), null, "application/json", null,
                                Uploads.envelope(device, prefix, Uploads.records(device, prefix, 200)));
                        status = r.statusCode();
                        if (status / 100 == 2) {
                            assertEquals(200, json(r.body()).path("accepted").asInt());
                            for (int i = 0; i < 200; i++) {
                                acknowledged.add(prefix + "-" + i);
                            }
                        } else {
                            assertEquals(503, status, r.body());
                            assertTrue(json(r.body()).path("error").path("retryable").asBoolean());
                            assertTrue(r.headers().firstValue("Retry-After").isPresent());
                        }
                    } catch (UncheckedIOException e) {
                        status = -1; // connection refused or reset: not an acknowledgement
                    }
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        Await.until(Duration.ofSeconds(60), () -> acknowledged.size(), n -> n >= 4_000, "records acknowledged before");
        // WHEN the broker stops while requests are in flight
        KAFKA.broker().stop();
        int atStop = acknowledged.size();
        // THEN requests are answered 503 (retryable) and the gateway is not ready
        Await.until(Duration.ofSeconds(60), () -> statuses.getOrDefault(503, new AtomicInteger()).get(), n -> n >= 4,
                "503 answers while the broker is down");
        Await.equalTo(Duration.ofSeconds(30), () -> Uploads.get(HTTP, gateway.url() + "/health/ready").statusCode(), 503,
                "readiness while the broker is down");
        load.set(false);
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        // and once the broker is back, every record that got a 2xx is in telemetry.raw (read_committed)
        KAFKA.broker().start();
        Set<String> stored = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TELEMETRY_RAW.name())) {
            stored.add(Uploads.value(r).path("id").asText());
        }
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(stored);
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged records missing, e.g. "
                + missing.stream().limit(5).toList() + "; statuses " + statuses);
        assertTrue(atStop >= 4_000, "acknowledged before stop: " + atStop);
        // the gateway recovers without a restart
        Await.equalTo(Duration.ofSeconds(60), gateway::ready, true, "gateway ready again");
        HttpResponse<String> after = Await.until(Duration.ofSeconds(60), () -> Uploads.post(HTTP, gateway.url(), null,
                "application/json", null, Uploads.envelope("durable-after", "after-1",
                        Uploads.records("durable-after", "after", 10))), r -> r.statusCode() == 200, "200 after restart");
        assertEquals(10, json(after.body()).path("accepted").asInt());
    }

    @Test
    void drainOnCloseFinishesRequestsInFlightAndThenRefuses() throws Exception {
        // GIVEN requests in flight
        gateway = startGateway();
        Await.equalTo(Duration.ofSeconds(60), gateway::ready, true, "gateway ready");
        String url = gateway.url();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<HttpResponse<String>>> posts = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            String device = "drain-" + c;
            posts.add(clients.submit(() -> Uploads.post(HTTP, url, null, "application/json", null,
                    Uploads.envelope(device, device, Uploads.records(device, device, 3000)))));
        }
        Await.until(Duration.ofSeconds(30), gateway::requestsInFlight, n -> n > 0, "a request in flight");
        // WHEN the gateway closes
        gateway.close();
        assertEquals(0, gateway.requestsInFlight());
        // THEN each request got a 200 whose records are all stored, or a retryable refusal (or no connection)
        Set<String> stored = new HashSet<>();
        KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TELEMETRY_RAW.name())
                .forEach(r -> stored.add(Uploads.value(r).path("id").asText()));
        int ok = 0;
        for (int c = 0; c < 4; c++) {
            HttpResponse<String> r;
            try {
                r = posts.get(c).get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                continue;
            }
            if (r.statusCode() == 200) {
                ok++;
                for (int i = 0; i < 3000; i++) {
                    assertTrue(stored.contains("drain-" + c + "-" + i), "drain-" + c + "-" + i);
                }
            } else {
                assertEquals(503, r.statusCode(), r.body());
            }
        }
        clients.shutdown();
        assertTrue(ok >= 1, "the request in flight at close was finished");
        assertTrue(!gateway.ready());
    }
}
