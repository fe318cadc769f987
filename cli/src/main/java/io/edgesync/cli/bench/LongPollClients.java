package io.edgesync.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The device side of {@code bench long-poll}: enrols devices, then holds one long-poll per device
 * with the JDK's asynchronous HTTP client (one connection each, no thread per request), and times
 * commands from their creation to the answer of the waiting poll.
 */
final class LongPollClients implements AutoCloseable {
    private static final int BATCH = 250;

    /** Create-to-delivery latencies of the samples, and how many answers were wrong or missing. */
    record Latency(int samples, double p50Millis, double p99Millis, double maxMillis, int wrong) {
    }

    private final String base;
    private final String operator;
    private final ExecutorService callbacks = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(60)).executor(callbacks).build();
    private String[] tokens = new String[0];
    private AtomicLongArray answeredAt = new AtomicLongArray(0);
    private final List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();

    LongPollClients(String base, String operator) {
        this.base = base;
        this.operator = operator;
    }

    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (send("GET", "/health/ready", null, null).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the dispatcher was not ready within " + timeout);
    }

    /** Registers devices bench-0..n-1 with the enrollment key from 8 threads; returns registrations/s. */
    double register(int n, String enrollmentKey) throws Exception {
        tokens = new String[n];
        answeredAt = new AtomicLongArray(n);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        tokens[i] = expect(201, "POST", "/api/v1/devices/register", enrollmentKey,
                                "{\"deviceId\":\"bench-" + i + "\",\"name\":\"bench\",\"deviceType\":\"sensor\"}")
                                .path("token").asText();
                    }
                }, pool));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** Sends one long-poll per device, in batches so connections are accepted as they come. */
    void openPolls(int waitSeconds) throws Exception {
        for (int i = 0; i < tokens.length; i++) {
            int device = i;
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/sync/commands/bench-" + i
                            + "?wait=" + waitSeconds)).timeout(Duration.ofSeconds(waitSeconds + 60L))
                    .header("Authorization", "Bearer " + tokens[i]).GET().build();
            polls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                answeredAt.set(device, System.nanoTime());
                answered.incrementAndGet();
            }));
            if (i % BATCH == BATCH - 1) {
                Thread.sleep(50);
            }
        }
    }

    /** Waits until the dispatcher reports {@code n} polls waiting; returns what it last reported. */
    double awaitWaiting(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double waiting = waiting();
        while (waiting < n && System.nanoTime() < deadline) {
            if (answered.get() > 0) {
                throw new IllegalStateException(answered.get() + " polls answered before any command: "
                        + firstAnswer());
            }
            Thread.sleep(250);
            waiting = waiting();
        }
        return waiting;
    }

    /** Polls answered so far (before the latency phase nothing may be). */
    int answered() {
        return answered.get();
    }

    /** Creates a command for {@code samples} devices spread over the fleet and times each to its answer. */
    Latency latency(int samples) throws Exception {
        int step = Math.max(1, tokens.length / samples);
        int n = Math.min(samples, tokens.length);
        long[] createdAt = new long[n];
        String[] ids = new String[n];
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger next = new AtomicInteger();
        try {
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    for (int s = next.getAndIncrement(); s < n; s = next.getAndIncrement()) {
                        createdAt[s] = System.nanoTime();
                        ids[s] = expect(201, "POST", "/api/v1/devices/bench-" + (s * step) + "/commands", operator,
                                "{\"commandType\":\"ping\"}").path("commandId").asText();
                    }
                }, pool));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        long[] micros = new long[n];
        int wrong = 0;
        for (int s = 0; s < n; s++) {
            int device = s * step;
            try {
                HttpResponse<String> r = polls.get(device).get(60, TimeUnit.SECONDS);
                JsonNode commands = Json.mapper().readTree(r.body()).path("commands");
                if (r.statusCode() != 200 || commands.size() != 1
                        || !ids[s].equals(commands.get(0).path("commandId").asText())) {
                    wrong++;
                }
            } catch (Exception e) {
                wrong++;
            }
            micros[s] = (answeredAt.get(device) - createdAt[s]) / 1_000;
        }
        Arrays.sort(micros);
        return new Latency(n, micros[n / 2] / 1000.0, micros[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1000.0,
                micros[n - 1] / 1000.0, wrong);
    }

    /** The dispatcher's {@code edgesync_dispatcher_long_polls_waiting}. */
    double waiting() throws Exception {
        return metrics().stream().filter(l -> l.startsWith("edgesync_dispatcher_long_polls_waiting"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    List<String> metrics() throws Exception {
        return send("GET", "/metrics", null, null).body().lines().toList();
    }

    private String firstAnswer() {
        for (CompletableFuture<HttpResponse<String>> p : polls) {
            if (p.isDone()) {
                try {
                    HttpResponse<String> r = p.getNow(null);
                    return r.statusCode() + " " + r.body();
                } catch (Exception e) {
                    return e.toString();
                }
            }
        }
        return "?";
    }

    private JsonNode expect(int status, String method, String path, String token, String body) {
        try {
            HttpResponse<String> r = send(method, path, token, body);
            if (r.statusCode() != status) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return Json.mapper().readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String token, String body)
            throws java.io.IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        polls.forEach(p -> p.cancel(true));
        callbacks.shutdownNow();
    }
}
