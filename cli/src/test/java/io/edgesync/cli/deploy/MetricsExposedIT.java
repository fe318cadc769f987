package io.edgesync.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.cli.ControlPlane;
import io.edgesync.embedded.TempDirs;
import io.edgesync.testsupport.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics the alert rules and dashboards use are the ones a running {@code edgesync local}
 * exposes: the control plane is started, used (an enrolment, uploads, a duplicate, a bad batch),
 * and its four {@code /metrics} endpoints are scraped.
 */
class MetricsExposedIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path home;
    private static String previousHome;
    private static ControlPlane plane;
    private static Map<String, Scrape> scrapes;

    @BeforeAll
    static void startAndUse() throws Exception {
        home = TempDirs.create("metrics-");
        previousHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        plane = ControlPlane.start(new ControlPlane.Options(home.resolve("data"), 0, 0, 0, 0, null, false));
        String token = enrol("metrics-1");
        long now = System.currentTimeMillis();
        assertEquals(200, upload(token, "[" + reading("r1", now) + "," + reading("r2", now) + "]").statusCode());
        assertEquals(200, upload(token, "[" + reading("r1", now) + "]").statusCode()); // a duplicate
        assertEquals(400, upload(token, "[{").statusCode()); // not JSON
        // the two readings reached the table: the sink committed them
        Await.until(Duration.ofSeconds(60), () -> Scrape.of(plane.serviceUrls().get("sink"))
                .sum("edgesync_sink_sync_latency_seconds_count", "since=\"gateway\""), n -> n >= 2,
                "sync latency recorded for both readings");
        Await.until(Duration.ofSeconds(60), () -> Scrape.of(plane.serviceUrls().get("processor"))
                .sum("edgesync_processor_records_total", "outcome=\"duplicate\""), n -> n >= 1, "duplicate counted");
        scrapes = new TreeMap<>();
        for (Map.Entry<String, String> e : plane.serviceUrls().entrySet()) {
            scrapes.put(e.getKey(), Scrape.of(e.getValue()));
        }
        Path dump = Path.of("target", "metrics-scrape");
        Files.createDirectories(dump);
        for (Map.Entry<String, Scrape> e : scrapes.entrySet()) {
            Files.writeString(dump.resolve(e.getKey() + ".txt"), e.getValue().body());
        }
    }

    @AfterAll
    static void stop() {
        if (plane != null) {
            plane.close();
        }
        System.setProperty("user.home", previousHome);
        TempDirs.deleteRecursively(home);
    }

    private static Set<String> exposed() {
        Set<String> names = new TreeSet<>();
        scrapes.values().forEach(s -> names.addAll(s.names()));
        return names;
    }

    @Test
    void everyServiceExposesJvmProcessHttpAndKafkaClientMeters() {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Scrape> e : scrapes.entrySet()) {
            Set<String> names = e.getValue().names();
            for (String name : List.of("jvm_memory_used_bytes", "jvm_gc_max_data_size_bytes", "jvm_threads_live_threads",
                    "process_cpu_usage", "process_uptime_seconds", "process_files_open_files",
                    "http_server_requests_seconds_count")) {
                if (!names.contains(name)) {
                    missing.add(e.getKey() + ": " + name);
                }
            }
            String kafka = e.getKey().equals("processor") ? "kafka_stream_" : e.getKey().equals("sink")
                    ? "kafka_consumer_" : "kafka_producer_";
            if (names.stream().noneMatch(n -> n.startsWith(kafka))) {
                missing.add(e.getKey() + ": " + kafka + "*");
            }
        }
        for (String db : List.of("sink", "dispatcher")) {
            for (String name : List.of("hikaricp_connections_active", "hikaricp_connections_pending",
                    "edgesync_db_transaction_retries_total")) {
                if (!scrapes.get(db).names().contains(name)) {
                    missing.add(db + ": " + name);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void operatorsQuestionsHaveMeters() {
        Scrape sink = scrapes.get("sink");
        assertTrue(sink.sum("edgesync_sink_sync_latency_seconds_count", "since=\"edge\"") >= 2);
        assertTrue(sink.names().contains("edgesync_sink_sync_latency_seconds_bucket"));
        Scrape processor = scrapes.get("processor");
        assertTrue(processor.sum("edgesync_processor_records_total", "outcome=\"clean\"") >= 2);
        assertEquals(1.0, processor.sum("edgesync_processor_records_total", "outcome=\"duplicate\""));
        Scrape dispatcher = scrapes.get("dispatcher");
        assertTrue(dispatcher.names().containsAll(List.of("edgesync_dispatcher_devices",
                "edgesync_dispatcher_pending_records", "edgesync_dispatcher_commands")), dispatcher.names().toString());
        Scrape gateway = scrapes.get("gateway");
        assertTrue(gateway.sum("edgesync_gateway_requests_total", "status=\"400\"") >= 1);
    }

    @Test
    void noMeterIsLabelledByDevice() {
        List<String> byDevice = new ArrayList<>();
        scrapes.forEach((service, scrape) -> scrape.labels().forEach((name, labels) -> labels.stream()
                .filter(l -> l.toLowerCase(java.util.Locale.ROOT).replace("_", "").contains("deviceid")
                        || l.equals("device"))
                .forEach(l -> byDevice.add(service + ": " + name + "{" + l + "}"))));
        assertEquals(List.of(), byDevice);
        scrapes.forEach((service, scrape) -> assertTrue(!scrape.body().contains("metrics-1"),
                service + " exposes the device id"));
    }

    @Test
    void everyMetricTheAlertsAndDashboardsUseIsExposed() {
        Set<String> exposed = exposed();
        Map<String, String> expressions = new java.util.LinkedHashMap<>();
        expressions.putAll(PromQl.ruleExpressions(DeployFiles.root().resolve("compose/prometheus/alerts.yml")));
        expressions.putAll(PromQl.dashboardExpressions("compose/grafana/dashboards"));
        assertTrue(expressions.size() > 40, expressions.keySet().toString());
        List<String> unknown = new ArrayList<>();
        expressions.forEach((where, expr) -> PromQl.metricNames(expr).stream()
                .filter(name -> !exposed.contains(name) && !PROMETHEUS_OWN.contains(name))
                .forEach(name -> unknown.add(where + ": " + name)));
        assertEquals(List.of(), unknown, "metrics no running service exposes");
    }

    /** Series Prometheus makes itself for every target. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up", "scrape_duration_seconds");

    private static String reading(String id, long ts) {
        return "{\"id\":\"" + id + "\",\"deviceId\":\"metrics-1\",\"sensorId\":\"s\",\"timestamp\":" + ts
                + ",\"dataType\":\"t\",\"value\":1}";
    }

    private static String enrol(String deviceId) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(plane.dispatcherUrl()
                        + "/api/v1/devices/register"))
                .header("Authorization", "Bearer " + plane.credentials().enrollmentKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + deviceId + "\",\"name\":\"" + deviceId
                        + "\",\"deviceType\":\"test\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return io.edgesync.shared.json.Json.mapper().readTree(r.body()).path("token").asText();
    }

    private static HttpResponse<String> upload(String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(plane.gatewayUrl() + "/api/v1/sync/telemetry"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
