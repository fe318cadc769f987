package io.edgesync.cli.bench;

import java.net.URI;
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

    /** What the measured window saw: records/s accepted, and records accepted per CPU-second of this JVM. */
    record Result(double recordsPerSecond, double recordsPerCpuSecond) {
    }

    /** @return rates during the measured window */
    Result run(int warmupSeconds, int seconds) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        URI target = URI.create(url);
        for (int c = 0; c < clients; c++) {
            String device = "bench-device-" + c;
            byte[][] requests = {
                RawHttpClient.postRequest(target, "application/json", records.body(device, device + "-a")),
                RawHttpClient.postRequest(target, "application/json", records.body(device, device + "-b"))};
            Thread t = new Thread(() -> post(target, requests), "bench-client-" + c);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        Thread.sleep(warmupSeconds * 1000L);
        measuring.set(true);
        long start = System.nanoTime();
        long cpuStart = CpuClock.processNanos();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        long cpu = CpuClock.processNanos() - cpuStart;
        long counted = accepted.get();
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
        if (refused.get() > 0) {
            System.out.println("gateway refused " + refused.get() + " uploads during the run");
        }
        return new Result(counted / (elapsed / 1e9), cpuStart < 0 ? Double.NaN : counted / (cpu / 1e9));
    }

    private void post(URI target, byte[][] requests) {
        try (RawHttpClient http = new RawHttpClient(target)) {
            for (int i = 0; running.get(); i++) {
                try {
                    RawHttpClient.Answer answer = http.send(requests[i % requests.length]);
                    boolean inWindow = measuring.get();
                    Matcher m = ACCEPTED.matcher(answer.body());
                    if (answer.status() == 200 && m.find()) {
                        if (inWindow) {
                            accepted.addAndGet(Long.parseLong(m.group(1)));
                        }
                    } else {
                        refused.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    refused.incrementAndGet();
                }
            }
        }
    }
}
