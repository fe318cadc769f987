package io.edgesync.cli.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgesync status}: one screen of health for every service, from its own {@code /health/ready}
 * and {@code /metrics}: ready, consumer lag (largest partition lag, {@code
 * kafka_consumer_fetch_manager_records_lag_max}), dead letters written and their growth over the
 * sample interval, and whether the sink is paused. Exit 0 when all are ready and the sink is not
 * paused, 3 otherwise.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "One-screen health of the gateway, processor, sink and dispatcher (ready, consumer lag, DLQ "
                + "growth, paused sink) from their /health/ready and /metrics. Exit 0 healthy, 3 not (docs/operations.md).")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    Output output;

    @Option(names = "--gateway", defaultValue = "${env:EDGESYNC_GATEWAY_URL:-http://127.0.0.1:7070}",
            description = "Gateway base URL (env EDGESYNC_GATEWAY_URL; default ${DEFAULT-VALUE}).")
    String gateway;
    @Option(names = "--processor", defaultValue = "${env:EDGESYNC_PROCESSOR_URL:-http://127.0.0.1:7073}",
            description = "Stream processor base URL (env EDGESYNC_PROCESSOR_URL; default ${DEFAULT-VALUE}).")
    String processor;
    @Option(names = "--sink", defaultValue = "${env:EDGESYNC_SINK_URL:-http://127.0.0.1:7072}",
            description = "Sink base URL (env EDGESYNC_SINK_URL; default ${DEFAULT-VALUE}).")
    String sink;
    @Option(names = "--dispatcher", defaultValue = "${env:EDGESYNC_DISPATCHER_URL:-http://127.0.0.1:7071}",
            description = "Dispatcher base URL (env EDGESYNC_DISPATCHER_URL; default ${DEFAULT-VALUE}).")
    String dispatcher;
    @Option(names = "--sample", defaultValue = "1s", converter = DurationConverter.class,
            description = "Interval between the two scrapes that measure DLQ growth (default ${DEFAULT-VALUE}; 0: one scrape).")
    Duration sample;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One service's state. */
    private record State(boolean reachable, boolean ready, Double lag, Double deadLetters, Double paused) {
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("gateway", gateway);
        urls.put("processor", processor);
        urls.put("sink", sink);
        urls.put("dispatcher", dispatcher);
        Map<String, State> first = new LinkedHashMap<>();
        urls.forEach((name, url) -> first.put(name, scrape(url)));
        Map<String, State> second = first;
        if (!sample.isZero()) {
            Thread.sleep(sample.toMillis());
            second = new LinkedHashMap<>();
            for (var e : urls.entrySet()) {
                second.put(e.getKey(), scrape(e.getValue()));
            }
        }
        boolean healthy = true;
        ArrayNode services = Json.mapper().createArrayNode();
        Table t = new Table("SERVICE", "READY", "LAG", "DEAD LETTERS", "DLQ GROWTH", "PAUSED", "URL");
        for (var e : urls.entrySet()) {
            State a = first.get(e.getKey());
            State b = second.get(e.getKey());
            Double growth = a.deadLetters() == null || b.deadLetters() == null ? null : b.deadLetters() - a.deadLetters();
            boolean paused = b.paused() != null && b.paused() > 0;
            healthy &= b.ready() && !paused;
            ObjectNode s = services.addObject().put("service", e.getKey()).put("url", e.getValue())
                    .put("reachable", b.reachable()).put("ready", b.ready());
            putNumber(s, "consumerLag", b.lag());
            putNumber(s, "deadLetters", b.deadLetters());
            putNumber(s, "dlqGrowth", growth);
            if (b.paused() != null) {
                s.put("paused", paused);
            }
            t.row(e.getKey(), b.reachable() ? (b.ready() ? "yes" : "NO") : "UNREACHABLE", number(b.lag()),
                    number(b.deadLetters()), growth == null ? "-" : (growth > 0 ? "+" : "") + number(growth),
                    b.paused() == null ? "-" : (paused ? "YES" : "no"), e.getValue());
        }
        ObjectNode out = Json.mapper().createObjectNode().put("healthy", healthy)
                .put("sampleMillis", sample.toMillis());
        out.set("services", services);
        output.print(out, t + (healthy ? "healthy\n" : "NOT healthy\n"), spec.commandLine().getOut());
        return healthy ? 0 : Output.UNHEALTHY;
    }

    private State scrape(String base) {
        String url = base.replaceAll("/+$", "");
        int ready;
        String metrics;
        try {
            ready = get(url + "/health/ready").statusCode();
            HttpResponse<String> m = get(url + "/metrics");
            metrics = m.statusCode() == 200 ? m.body() : "";
        } catch (IOException e) {
            return new State(false, false, null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new State(false, false, null, null, null);
        }
        Metrics m = Metrics.parse(metrics);
        Double dead = add(m.sum("edgesync_processor_dead_letters_total"), m.sum("edgesync_sink_dead_letters_total"));
        return new State(true, ready == 200, m.max("kafka_consumer_fetch_manager_records_lag_max"), dead,
                m.max("edgesync_sink_paused"));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Double add(Double a, Double b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Double.valueOf(a + b);
    }

    private static void putNumber(ObjectNode n, String field, Double v) {
        if (v != null) {
            n.put(field, v.longValue());
        }
    }

    private static String number(Double v) {
        return v == null ? "-" : Long.toString(v.longValue());
    }

    /** Durations as the settings write them (500ms, 2s, PT1S). */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return "0".equals(value.strip()) ? Duration.ZERO : io.edgesync.shared.config.Setting.parseDuration(value);
        }
    }
}
