package io.edgesync.cli.kill;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.embedded.FreePorts;
import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.PostgresServer;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.db.Database;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import io.edgesync.testsupport.ChildJvm;
import io.edgesync.testsupport.KafkaBrokerChild;
import io.edgesync.testsupport.Signals;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole data path on real processes, for kill -9 tests: edge agents (SQLite) → gateway →
 * broker → processor → sink → PostgreSQL. The one component under test runs in a process of its
 * own (a {@link ChildJvm}, or the real PostgreSQL server process) so that it can be killed with
 * SIGKILL and started again on the same data (same ports, same data directories); the others run
 * in this JVM. Every component starts with settings that make a dead peer noticed quickly
 * (6 s session timeouts, short agent retries).
 */
final class KillPipeline implements AutoCloseable {
    /** What a test can kill. */
    enum Component { GATEWAY, BROKER, POSTGRES, PROCESSOR, SINK, AGENT }

    static final Duration START = Duration.ofMinutes(2);

    private final Component killable;
    private final Path dir = TempDirs.create("kill-");
    private final Path log = dir.resolve("child.log");
    private final Deque<AutoCloseable> inProcess = new ArrayDeque<>();
    private final Map<String, EdgeAgent> agents = new LinkedHashMap<>();
    private final Map<String, String> settings = new HashMap<>();
    private final int kafkaPort = FreePorts.pick();
    private final int gatewayPort = FreePorts.pick();
    private final PostgresServer pg;
    private final HikariDataSource db;
    private KafkaBroker broker;
    private ChildJvm child;
    private int childStarts;

    KillPipeline(Component killable) {
        this.killable = killable;
        startBroker();
        pg = PostgresServer.start(dir.resolve("pg/data"), Path.of(System.getProperty("java.io.tmpdir"), "pg-binaries"),
                0, true);
        settings.putAll(Map.ofEntries(
                Map.entry("kafka.bootstrap-servers", bootstrap()),
                Map.entry("database.jdbc-url", pg.jdbcUrl()),
                Map.entry("processor.application-id", "kill-processor"),
                Map.entry("processor.state-dir", dir.resolve("streams").toString()),
                Map.entry("processor.session-timeout", "6s"),
                Map.entry("processor.stats-interval", "1s"),
                Map.entry("processor.port", "-1"),
                Map.entry("sink.group-id", "kill-sink"),
                Map.entry("sink.session-timeout", "6s"),
                Map.entry("sink.reconnect-backoff-max", "1s"),
                Map.entry("sink.port", "-1"),
                Map.entry("gateway.port", Integer.toString(gatewayPort)),
                Map.entry("gateway.auth-mode", "none")));
        db = Database.pool(pg.jdbcUrl(), 2, "kill-test");
        if (killable == Component.SINK) {
            startChild();
        } else {
            inProcess.push(CockroachSink.start(SinkConfig.from(ConfigSource.of(settings))));
        }
        if (killable == Component.PROCESSOR) {
            startChild();
        } else {
            StreamProcessor processor = StreamProcessor.start(ProcessorConfig.from(ConfigSource.of(settings)));
            inProcess.push(processor);
        }
        if (killable == Component.GATEWAY) {
            startChild();
        } else {
            inProcess.push(IngestGateway.start(ConfigSource.of(settings)));
        }
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    HikariDataSource db() {
        return db;
    }

    Path dir() {
        return dir;
    }

    /** Log of every child JVM of this pipeline (appended by each start). */
    Path childLog() {
        return log;
    }

    /** An edge agent in this JVM, syncing to the gateway, with its own SQLite store. */
    EdgeAgent agent(String deviceId) {
        EdgeAgent agent = EdgeAgent.open(AgentConfig.from(ConfigSource.of(agentSettings(deviceId))));
        agent.start();
        agents.put(deviceId, agent);
        return agent;
    }

    /** The agent settings used here, for an agent in this JVM or as {@code edgesync agent run} YAML. */
    Map<String, String> agentSettings(String deviceId) {
        return Map.of("agent.device-id", deviceId,
                "agent.database", agentDatabase(deviceId).toString(),
                "agent.gateway-url", gatewayUrl(),
                "agent.dispatcher-url", "",
                "agent.batch-size", "250",
                "agent.sync-interval", "200ms",
                "agent.request-timeout", "5s",
                "agent.retry.initial-interval", "200ms",
                "agent.retry.max-interval", "1s",
                "agent.http.port", "-1");
    }

    Path agentDatabase(String deviceId) {
        return dir.resolve(deviceId + ".db");
    }

    Map<String, EdgeAgent> agents() {
        return agents;
    }

    /** Starts the killable component's process ({@link Component#AGENT}: {@code edgesync agent run} of {@code device}). */
    ChildJvm startChild(String... agentDevice) {
        childStarts++;
        String name = killable.name().toLowerCase() + "-" + childStarts;
        child = switch (killable) {
            case BROKER -> ChildJvm.start(name, log, "512m", KafkaBrokerChild.class,
                    dir.resolve("kafka").toString(), Integer.toString(kafkaPort), "3");
            case AGENT -> ChildJvm.start(name, log, "256m", EdgeSyncCli.class, "agent", "run", "--config",
                    yaml("agent-" + agentDevice[0], agentSettings(agentDevice[0])).toString());
            case GATEWAY, PROCESSOR, SINK -> ChildJvm.start(name, log, killable == Component.PROCESSOR ? "384m" : "256m",
                    EdgeSyncCli.class, "serve", service(), "--config", yaml(service(), settings).toString());
            case POSTGRES -> throw new IllegalStateException("PostgreSQL is its own server process");
        };
        String ready = switch (killable) {
            case BROKER -> KafkaBrokerChild.READY;
            case AGENT -> "agent running";
            default -> service() + " running";
        };
        child.awaitOutput(ready, childStarts, START);
        return child;
    }

    /** SIGKILL of the component under test: its child JVM, or every process of the PostgreSQL server. */
    void kill() {
        if (killable == Component.POSTGRES) {
            Signals.killTree(pg.pid());
            try {
                pg.stop(); // the server is gone; this releases the embedded server's handle and lock
            } catch (RuntimeException expected) {
                // pg_ctl stop fails on a killed server
            }
        } else {
            child.kill();
        }
    }

    /** Starts the killed component again, on the same data. */
    void restart(String... agentDevice) {
        if (killable == Component.POSTGRES) {
            pg.start();
        } else {
            startChild(agentDevice);
        }
    }

    private String service() {
        return switch (killable) {
            case GATEWAY -> "gateway";
            case PROCESSOR -> "processor";
            case SINK -> "sink";
            default -> throw new IllegalStateException(killable.name());
        };
    }

    private void startBroker() {
        if (killable == Component.BROKER) {
            startChild();
        } else {
            broker = KafkaBroker.start(dir.resolve("kafka"), kafkaPort);
            TopicAdmin.ensureTopics(bootstrap(), 3, (short) 1);
        }
    }

    private Path yaml(String name, Map<String, String> values) {
        Path file = dir.resolve(name + ".yaml");
        String text = values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": '" + e.getValue().replace("'", "''") + "'")
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Readings {@code from} .. {@code from+n-1} of a device; ids are unique per device. */
    static List<TelemetryRecord> readings(String deviceId, int from, int n) {
        List<TelemetryRecord> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(new TelemetryRecord(deviceId + "-r" + i, deviceId, "sensor-" + (i % 8), 1_700_000_000_000L + i,
                    "temperature", i / 10.0, "C", null, 1, null, null));
        }
        return out;
    }

    @Override
    public void close() {
        agents.values().forEach(EdgeAgent::close);
        while (!inProcess.isEmpty()) {
            try {
                inProcess.pop().close();
            } catch (Exception e) {
                System.err.println("warning: stop failed: " + e);
            }
        }
        if (child != null) {
            child.close();
        }
        db.close();
        pg.close();
        if (broker != null) {
            broker.close();
        }
        TempDirs.deleteRecursively(dir);
    }
}
