package io.edgesync.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.PostgresServer;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.TopicAdmin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgesync bench dispatcher}: registrations/s and commands/s over HTTP from concurrent
 * clients, and the latency from a command's creation to its delivery to a device already waiting
 * in a long-poll. Real Kafka, real PostgreSQL, one dispatcher, all on this machine.
 */
@Command(name = "dispatcher", mixinStandardHelpOptions = true,
        description = "Command dispatcher: registrations/s, commands/s, create-to-long-poll-delivery latency.")
public final class DispatcherBench implements Callable<Integer> {
    @Option(names = "--devices", description = "Devices to register (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int devices;

    @Option(names = "--commands", description = "Commands to create (default: ${DEFAULT-VALUE}).", defaultValue = "3000")
    int commands;

    @Option(names = "--samples", description = "Long-poll latency samples (default: ${DEFAULT-VALUE}).",
            defaultValue = "300")
    int samples;

    @Option(names = "--clients", description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int clients;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String base;
    private String operator;

    @Override
    public Integer call() throws Exception {
        Path dir = TempDirs.create("bench-dispatcher-");
        Path binaries = Path.of(System.getProperty("user.home"), ".edgesync", "pg-binaries");
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0);
             PostgresServer pg = PostgresServer.start(dir.resolve("pg"), binaries, 0, false)) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), 3, (short) 1);
            LocalCredentials creds = LocalCredentials.loadOrCreate(dir);
            DispatcherConfig config = DispatcherConfig.from(ConfigSource.of(Map.of(
                    "kafka.bootstrap-servers", kafka.bootstrapServers(), "database.jdbc-url", pg.jdbcUrl(),
                    "dispatcher.port", "0", "dispatcher.signing-key-file", creds.signingKeyFile().toString(),
                    "dispatcher.operator-token", creds.operatorToken(),
                    "dispatcher.enrollment-key", creds.enrollmentKey(),
                    // registrations/s is a figure of this bench: the fleet key's rate limit must not cap it
                    "dispatcher.enrollment-key-rate-limit", "1000000")));
            try (CommandDispatcher dispatcher = CommandDispatcher.start(config)) {
                base = dispatcher.url();
                operator = creds.operatorToken();
                run(creds.enrollmentKey());
            }
        } finally {
            TempDirs.deleteRecursively(dir);
        }
        return 0;
    }

    private void run(String enrollmentKey) throws Exception {
        System.out.printf("dispatcher bench: %d devices, %d commands, %d latency samples, %d clients, %d cores%n",
                devices, commands, samples, clients, Runtime.getRuntime().availableProcessors());
        String[] tokens = new String[devices];
        warmUp(enrollmentKey);
        double regPerSecond = parallel(devices, i -> {
            JsonNode r = call("POST", "/api/v1/devices/register", enrollmentKey,
                    "{\"deviceId\":\"bench-" + i + "\",\"name\":\"bench\",\"deviceType\":\"sensor\"}", 201);
            tokens[i] = r.path("token").asText();
        });
        System.out.printf("registrations: %d in parallel from %d clients: %.0f registrations/s%n", devices, clients,
                regPerSecond);
        double cmdPerSecond = parallel(commands, i -> call("POST", "/api/v1/devices/bench-" + (i % devices)
                + "/commands", operator, "{\"commandType\":\"set-rate\",\"payload\":{\"hz\":" + i + "}}", 201));
        System.out.printf("commands: %d created in parallel from %d clients: %.0f commands/s%n", commands, clients,
                cmdPerSecond);
        double pollPerSecond = parallel(devices, i -> call("GET", "/api/v1/sync/commands/bench-" + i, tokens[i], null,
                200));
        System.out.printf("polls: %d devices drained (%d commands delivered): %.0f polls/s%n", devices, commands,
                pollPerSecond);
        latency(tokens);
        group();
    }

    /** A group command to every registered bench device: fan-out, aggregated status, cancel. */
    private void group() throws Exception {
        long start = System.nanoTime();
        JsonNode g = call("POST", "/api/v1/command-groups", operator,
                "{\"commandType\":\"set-rate\",\"payload\":{\"hz\":1},\"selector\":{\"deviceType\":\"sensor\"}}", 201);
        double fanOut = (System.nanoTime() - start) / 1e6;
        String id = g.path("groupId").asText();
        start = System.nanoTime();
        call("GET", "/api/v1/command-groups/" + id, operator, null, 200);
        double status = (System.nanoTime() - start) / 1e6;
        start = System.nanoTime();
        JsonNode cancelled = call("POST", "/api/v1/command-groups/" + id + "/cancel", operator, null, 200);
        double cancel = (System.nanoTime() - start) / 1e6;
        System.out.printf("group command: %d devices fanned out in %.0f ms (%.0f commands/s, batches of %s), "
                        + "aggregated status %.1f ms, cancel of %d open commands %.0f ms%n", g.path("devices").asInt(),
                fanOut, g.path("devices").asInt() / (fanOut / 1000), "dispatcher.command-group-batch-size (500)",
                status, cancelled.path("cancelledNow").asInt(), cancel);
    }

    private void warmUp(String enrollmentKey) throws Exception {
        for (int i = 0; i < 50; i++) {
            call("POST", "/api/v1/devices/register", enrollmentKey, "{\"name\":\"warm\",\"deviceType\":\"w\"}", 201);
        }
    }

    /** One device at a time: start a long-poll, let it wait, create a command, time until the poll answers. */
    private void latency(String[] tokens) throws Exception {
        long[] micros = new long[samples];
        ExecutorService pollers = Executors.newFixedThreadPool(2);
        try {
            for (int s = 0; s < samples; s++) {
                int device = s % devices;
                Future<JsonNode> poll = pollers.submit(() -> call("GET", "/api/v1/sync/commands/bench-" + device
                        + "?wait=30", tokens[device], null, 200));
                Thread.sleep(30);
                long start = System.nanoTime();
                call("POST", "/api/v1/devices/bench-" + device + "/commands", operator,
                        "{\"commandType\":\"ping\"}", 201);
                JsonNode answer = poll.get(60, TimeUnit.SECONDS);
                micros[s] = (System.nanoTime() - start) / 1_000;
                if (answer.path("commands").size() != 1) {
                    throw new IllegalStateException("long-poll answered " + answer);
                }
            }
        } finally {
            pollers.shutdownNow();
        }
        Arrays.sort(micros);
        System.out.printf("create -> delivered by long-poll: %d samples: p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                        + "(includes the create request itself)%n", samples, micros[samples / 2] / 1000.0,
                micros[Math.min(samples - 1, (int) Math.ceil(samples * 0.99) - 1)] / 1000.0,
                micros[samples - 1] / 1000.0);
    }

    @FunctionalInterface
    private interface Task {
        void run(int i) throws Exception;
    }

    /** Runs n tasks from {@code clients} threads; returns tasks per second. */
    private double parallel(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        try {
                            task.run(i);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private JsonNode call(String method, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }
}
