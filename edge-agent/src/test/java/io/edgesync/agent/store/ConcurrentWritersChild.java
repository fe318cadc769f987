package io.edgesync.agent.store;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.sync.TelemetrySync;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The child JVM of {@link GroupCommitCrashIT}: an agent on the given database with {@code threads} writers,
 * each storing one reading per call for ever; after each call returns it appends {@code ack <id>} to the
 * acknowledgement file with a plain write(2) (no buffer a SIGKILL could lose). Arguments: database, ack file,
 * threads.
 */
public final class ConcurrentWritersChild {
    private ConcurrentWritersChild() {
    }

    public static void main(String[] args) throws Exception {
        AgentConfig config = new AgentConfig("dev-crash", Path.of(args[0]), "http://127.0.0.1:9", null, null, 1000,
                Duration.ofHours(1), Duration.ofSeconds(5), TelemetrySync.RetryPolicy.defaults(),
                StoreOptions.defaults(), -1, null, Duration.ofSeconds(1), Duration.ofHours(1), "edge-agent");
        EdgeAgent agent = EdgeAgent.open(config, HttpClient.newHttpClient(), Clock.systemUTC());
        FileOutputStream acks = new FileOutputStream(args[1], true);
        int threads = Integer.parseInt(args[2]);
        for (int t = 0; t < threads; t++) {
            int writer = t;
            Thread thread = new Thread(() -> {
                for (long i = 0; ; i++) {
                    String id = agent.record("s" + writer, "temperature", i, "C");
                    byte[] line = ("ack " + id + "\n").getBytes(StandardCharsets.US_ASCII);
                    synchronized (acks) {
                        try {
                            acks.write(line);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            }, "writer-" + t);
            thread.start();
        }
        System.out.println("writers started");
        Thread.currentThread().join();
    }
}
