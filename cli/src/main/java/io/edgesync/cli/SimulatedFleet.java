package io.edgesync.cli;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.sync.TelemetrySync;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fleet of real edge agents, each with its own SQLite file, writing sensor readings and syncing
 * them to the gateway in the background.
 */
final class SimulatedFleet implements AutoCloseable {
    private static final String[] SENSORS = {"temp-1", "humidity-1", "pressure-1"};
    private static final String[] TYPES = {"temperature", "humidity", "pressure"};
    private static final String[] UNITS = {"C", "%", "hPa"};

    private final List<EdgeAgent> agents = new ArrayList<>();
    private final ExecutorService httpExecutor = Executors.newFixedThreadPool(8);
    private final AtomicLong written = new AtomicLong();
    private final int recordsPerDevice;

    /**
     * Enrols every device with the dispatcher ({@code enrollment}) and opens its agent with the token
     * it was issued, so uploads are authenticated exactly as a real fleet's are.
     */
    SimulatedFleet(Path dir, int devices, int recordsPerDevice, String gatewayUrl, String dispatcherUrl,
                   FleetCredentials credentials) {
        this.recordsPerDevice = recordsPerDevice;
        HttpClient http = HttpClient.newBuilder().executor(httpExecutor).connectTimeout(Duration.ofSeconds(5)).build();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= devices; i++) {
            ids.add(String.format("demo-device-%04d", i));
        }
        Map<String, String> tokens = new FleetEnrollment(http, dispatcherUrl, credentials.enrollmentKey(),
                credentials.operatorToken()).enrol(ids);
        for (String deviceId : ids) {
            AgentConfig config = new AgentConfig(deviceId, dir.resolve(deviceId + ".db"), gatewayUrl, dispatcherUrl,
                    tokens.get(deviceId), 1000, Duration.ofSeconds(1), Duration.ofSeconds(30),
                    new TelemetrySync.RetryPolicy(5, Duration.ofMillis(500), 2.0, Duration.ofSeconds(10)));
            agents.add(EdgeAgent.open(config, http, Clock.systemUTC()));
        }
    }

    /** The fleet enrollment key, and the operator token used to re-issue tokens of devices enrolled before. */
    record FleetCredentials(String enrollmentKey, String operatorToken) {
    }

    /** Starts every agent's background sync. */
    void start() {
        agents.forEach(EdgeAgent::start);
    }

    /**
     * Writes one round of readings on every device that has not yet written its share.
     *
     * @return true while some device still has readings to write
     */
    boolean writeRound(int perDevice) {
        boolean more = false;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (EdgeAgent agent : agents) {
            long already = agent.pendingCount() + agent.syncedCount() + agent.failedCount();
            int n = (int) Math.min(perDevice, recordsPerDevice - already);
            for (int k = 0; k < n; k++) {
                int s = random.nextInt(SENSORS.length);
                agent.record(SENSORS[s], TYPES[s], Math.round(random.nextGaussian() * 1000) / 100.0 + 20, UNITS[s]);
                written.incrementAndGet();
            }
            more |= already + n < recordsPerDevice;
        }
        return more;
    }

    /** How many agents run the edge function {@code name} now. */
    long running(String name) {
        return agents.stream().filter(a -> a.functions().installed().stream().anyMatch(f -> f.name().equals(name)))
                .count();
    }

    long written() {
        return written.get();
    }

    long pending() {
        return agents.stream().mapToLong(EdgeAgent::pendingCount).sum();
    }

    int size() {
        return agents.size();
    }

    @Override
    public void close() {
        agents.forEach(EdgeAgent::close);
        httpExecutor.shutdownNow();
    }
}
