package io.edgesync.cli.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Concurrent HTTP clients posting pre-built batches as fast as they are answered. */
final class GatewayLoad {
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");

    private final String url;
    private final BenchRecords records;
    private final int clients;
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    GatewayLoad(String url, BenchRecords records, int clients) {
        this.url = url + "/api/v1/sync/telemetry";
        this.records = records;
        this.clients = clients;
    }

    /** @return records/s accepted during the measured window */
    double run(int warmupSeconds, int seconds) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String device = "bench-device-" + c;
            byte[][] bodies = {records.body(device, device + "-a"), records.body(device, device + "-b")};
            Thread t = new Thread(() -> post(http, bodies), "bench-client-" + c);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        Thread.sleep(warmupSeconds * 1000L);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        long counted = accepted.get();
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
        if (refused.get() > 0) {
            System.out.println("gateway refused " + refused.get() + " uploads during the run");
        }
        return counted / (elapsed / 1e9);
    }

    private void post(HttpClient http, byte[][] bodies) {
        for (int i = 0; running.get(); i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i % bodies.length])).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                boolean inWindow = measuring.get();
                Matcher m = ACCEPTED.matcher(response.body());
                if (response.statusCode() == 200 && m.find()) {
                    if (inWindow) {
                        accepted.addAndGet(Long.parseLong(m.group(1)));
                    }
                } else {
                    refused.incrementAndGet();
                }
            } catch (java.io.IOException e) {
                refused.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
