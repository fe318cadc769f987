package io.edgesync.cli.kill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.cli.kill.KillPipeline.Component;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.testsupport.Await;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of every component of the data path, each under load and each followed by a restart on
 * the same data: gateway, broker, PostgreSQL, processor, sink (child JVMs or the real server
 * process) while two edge agents upload, and the agent itself (an {@code edgesync agent run}
 * process) while it syncs its backlog. Each proves {@link ExactlyOnce}: every record acknowledged
 * to the edge is in telemetry_data once with its value, every identity is in telemetry.clean once
 * (read_committed), and the per-device accepted counters are exact.
 */
class KillNineIT {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final List<String> DEVICES = List.of("kill-a", "kill-b");
    private static final int BACKLOG = 5_000;
    private static final int WHILE_DOWN = 1_000;
    private static final int AFTER = 1_000;

    @Test
    void gatewayKilledUnderLoadAndRestartedLosesAndDoublesNothing() throws Exception {
        killUnderLoad(Component.GATEWAY);
    }

    @Test
    void brokerKilledUnderLoadAndRestartedLosesAndDoublesNothing() throws Exception {
        killUnderLoad(Component.BROKER);
    }

    @Test
    void postgresKilledUnderLoadAndRestartedLosesAndDoublesNothing() throws Exception {
        killUnderLoad(Component.POSTGRES);
    }

    @Test
    void processorKilledUnderLoadAndRestartedLosesAndDoublesNothing() throws Exception {
        killUnderLoad(Component.PROCESSOR);
    }

    @Test
    void sinkKilledUnderLoadAndRestartedLosesAndDoublesNothing() throws Exception {
        killUnderLoad(Component.SINK);
    }

    @Test
    void agentKilledMidSyncAndRestartedLosesAndDoublesNothing() throws Exception {
        long started = System.nanoTime();
        String device = "kill-agent";
        int backlog = 20_000;
        try (KillPipeline p = new KillPipeline(Component.AGENT)) {
            // GIVEN an edge store with a backlog, synced by an `edgesync agent run` process in batches of 250
            collect(p, device, 0, backlog);
            p.startChild(device);
            // WHEN it is killed with SIGKILL part-way through the backlog
            Await.until(WAIT, () -> ExactlyOnce.acknowledged(p.agentDatabase(device)).size(), n -> n >= 2_000,
                    "records acknowledged to the first agent process");
            p.kill();
            long unackedAtKill = ExactlyOnce.notYetAcknowledged(p.agentDatabase(device));
            // AND the device goes on collecting while it is down, then the agent starts again
            collect(p, device, backlog, WHILE_DOWN);
            p.restart(device);

            // THEN it syncs everything, and everything acknowledged is stored exactly once
            Await.equalTo(WAIT, () -> ExactlyOnce.notYetAcknowledged(p.agentDatabase(device)), 0L,
                    "records the restarted agent has not had acknowledged");
            Map<String, Double> acked = ExactlyOnce.acknowledged(p.agentDatabase(device));
            assertEquals(backlog + WHILE_DOWN, acked.size());
            assertTrue(unackedAtKill > 0, "killed mid-sync");
            finish(p, acked, Component.AGENT, started);
        }
    }

    private void killUnderLoad(Component component) throws Exception {
        long started = System.nanoTime();
        try (KillPipeline p = new KillPipeline(component)) {
            // GIVEN two devices uploading a backlog through the whole pipeline
            DEVICES.forEach(p::agent);
            submit(p, 0, BACKLOG);
            Await.until(WAIT, () -> ExactlyOnce.rows(p.db()), n -> n >= 500, "first rows in telemetry_data");

            // WHEN the component is killed with SIGKILL mid-stream
            long rowsAtKill = ExactlyOnce.rows(p.db());
            p.kill();
            // AND the devices go on collecting while it is down, then it starts again on the same data
            submit(p, BACKLOG, WHILE_DOWN);
            p.restart();
            submit(p, BACKLOG + WHILE_DOWN, AFTER);

            // THEN every device has every record acknowledged, and each is stored exactly once
            int perDevice = BACKLOG + WHILE_DOWN + AFTER;
            Map<String, Double> acked = new HashMap<>();
            for (String device : DEVICES) {
                Await.equalTo(WAIT, () -> ExactlyOnce.notYetAcknowledged(p.agentDatabase(device)), 0L,
                        "records of " + device + " not yet acknowledged");
                acked.putAll(ExactlyOnce.acknowledged(p.agentDatabase(device)));
            }
            assertEquals(DEVICES.size() * perDevice, acked.size());
            assertTrue(rowsAtKill < (long) DEVICES.size() * BACKLOG, "killed mid-stream: " + rowsAtKill + " rows");
            finish(p, acked, component, started);
        }
    }

    private static void finish(KillPipeline p, Map<String, Double> acked, Component component, long started)
            throws Exception {
        Await.equalTo(WAIT, () -> ExactlyOnce.rows(p.db()), (long) acked.size(), "rows in telemetry_data");
        ExactlyOnce.verify(p.bootstrap(), p.db(), acked);
        Await.equalTo(WAIT, () -> ExactlyOnce.acceptedCounters(p.bootstrap()), ExactlyOnce.perDevice(acked),
                "recordsAccepted per device in device.sync-stats");
        System.out.printf("event=kill_nine_it component=%s records=%d seconds=%.1f%n", component, acked.size(),
                (System.nanoTime() - started) / 1e9);
    }

    private static void submit(KillPipeline p, int from, int n) {
        for (String device : DEVICES) {
            EdgeAgent agent = p.agents().get(device);
            for (int i = from; i < from + n; i += 500) {
                agent.submit(KillPipeline.readings(device, i, Math.min(500, from + n - i)));
            }
        }
    }

    /** Writes readings into a device's store while no agent process runs on it. */
    private static void collect(KillPipeline p, String device, int from, int n) {
        Map<String, String> settings = new HashMap<>(p.agentSettings(device));
        try (EdgeAgent writer = EdgeAgent.open(AgentConfig.from(ConfigSource.of(settings)))) {
            for (int i = from; i < from + n; i += 1000) {
                writer.submit(KillPipeline.readings(device, i, Math.min(1000, from + n - i)));
            }
        }
    }
}
