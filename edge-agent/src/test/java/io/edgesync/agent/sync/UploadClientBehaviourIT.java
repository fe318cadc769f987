package io.edgesync.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.AgentState;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.store.LocalStore;
import io.edgesync.agent.store.StoreOptions;
import io.edgesync.agent.store.SyncLog;
import io.edgesync.agent.store.SyncLogEntry;
import io.edgesync.embedded.TempDirs;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's reaction to each class of upload answer, against {@link ScriptedGateway} (a real
 * HTTP server that answers as scripted; the real gateway has no switch for 400, 401 or 5xx on demand).
 * The same behaviours against the real gateway: AgentGatewayOutageIT (429, 413, per-record
 * refusal) and AgentDispatcherIT (a revoked token).
 */
class UploadClientBehaviourIT {
    Path dir;
    ScriptedGateway gateway;

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("client-");
        gateway = new ScriptedGateway();
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        TempDirs.deleteRecursively(dir);
    }

    EdgeAgent agent(int attempts) {
        return agent(attempts, 1000);
    }

    EdgeAgent agent(int attempts, int batchSize) {
        AgentConfig config = new AgentConfig("dev-1", dir.resolve("agent.db"), gateway.url(), null, null, batchSize,
                Duration.ofSeconds(1), Duration.ofSeconds(10),
                new TelemetrySync.RetryPolicy(attempts, Duration.ofMillis(100), 2.0, Duration.ofSeconds(60)),
                StoreOptions.defaults(), -1, null, Duration.ofSeconds(1), Duration.ofSeconds(30), "edge-agent");
        return EdgeAgent.open(config, HttpClient.newHttpClient(), Clock.systemUTC(), () -> 0.5);
    }

    void write(EdgeAgent agent, int n) {
        for (int i = 0; i < n; i++) {
            agent.record("s1", "temperature", i, "C");
        }
    }

    @Test
    void a429WithRetryAfterIsHonouredAndTheBatchThenSyncs() {
        gateway.then(429, 2);
        try (EdgeAgent agent = agent(5)) {
            write(agent, 10);
            TelemetrySync.CycleResult result = agent.syncNow();

            assertTrue(result.ok(), () -> String.valueOf(result.failure()));
            assertEquals(2, gateway.received().size());
            long gap = gateway.received().get(1).atMillis() - gateway.received().get(0).atMillis();
            assertTrue(gap >= 2000, "second attempt came " + gap + " ms after the 429; Retry-After said 2 s");
            assertEquals(List.of(2000L), result.waits());
            assertEquals(10, agent.syncedCount());
        }
    }

    @Test
    void a400ClassRejectionIsNotRetriedAndItsRecordsAreFailedWithTheReasonNeverResent() {
        gateway.then(400, null);
        try (EdgeAgent agent = agent(5)) {
            write(agent, 10);
            TelemetrySync.CycleResult result = agent.syncNow();

            assertFalse(result.ok());
            assertEquals(400, result.failure().status());
            assertEquals(1, gateway.received().size(), "a 400 is never retried");
            assertEquals(10, agent.failedCount());
            assertEquals(0, agent.syncNow().sent(), "failed records are never resent");
            assertEquals(1, gateway.received().size());
        }
        try (LocalStore store = LocalStore.open(dir.resolve("agent.db"), Clock.systemUTC())) {
            SyncLogEntry log = new SyncLog(store).recent(1).get(0);
            assertEquals("failed", log.status());
            assertEquals(10, log.rejected());
        }
    }

    @Test
    void serverErrorsAndNetworkErrorsAreRetriedWithGrowingBackoff() {
        gateway.then(503, null).then(500, null);
        try (EdgeAgent agent = agent(5)) {
            write(agent, 5);
            TelemetrySync.CycleResult result = agent.syncNow();
            assertTrue(result.ok());
            assertEquals(3, gateway.received().size());
            assertEquals(List.of(100L, 200L), result.waits());
            assertEquals(5, agent.syncedCount());
        }
    }

    @Test
    void whenAttemptsRunOutTheCycleEndsAndRecordsStayPendingWithAFailedSyncLogRow() {
        gateway.then(503, null).then(503, null).then(503, null);
        try (EdgeAgent agent = agent(3)) {
            write(agent, 5);
            TelemetrySync.CycleResult result = agent.syncNow();
            assertFalse(result.ok());
            assertEquals(3, gateway.received().size());
            assertEquals(5, agent.pendingCount());
            assertEquals(0, agent.status().syncing());
            assertEquals("failed", agent.status().lastSync().status());
            assertNotNull(agent.status().lastError());
            // the next cycle sends them
            assertTrue(agent.syncNow().ok());
            assertEquals(5, agent.syncedCount());
        }
    }

    @Test
    void a401StopsSyncingAndIsReportedWithRecordsKeptPending() {
        gateway.then(401, null);
        try (EdgeAgent agent = agent(5)) {
            write(agent, 5);
            TelemetrySync.CycleResult result = agent.syncNow();
            assertTrue(result.unauthorized());
            assertEquals(1, gateway.received().size());
            assertEquals(5, agent.pendingCount());
            assertTrue(agent.syncStopped());
            assertTrue(agent.status().syncStopped().contains("401"));
        }
        try (LocalStore store = LocalStore.open(dir.resolve("agent.db"), Clock.systemUTC())) {
            assertNotNull(store.state(AgentState.SYNC_STOPPED));
        }
    }

    @Test
    void pendingRecordsGoOldestFirstInGzipBatchesOfTheConfiguredSize() {
        try (EdgeAgent agent = agent(5, 10)) {
            List<String> written = new java.util.ArrayList<>();
            for (int i = 0; i < 25; i++) {
                written.add(agent.record("s1", "temperature", i, "C"));
            }
            assertTrue(agent.syncNow().ok());

            List<String> sent = new java.util.ArrayList<>();
            List<Integer> sizes = new java.util.ArrayList<>();
            for (ScriptedGateway.Received r : gateway.received()) {
                assertEquals("gzip", r.contentEncoding());
                sizes.add(r.body().path("records").size());
                r.body().path("records").forEach(rec -> sent.add(rec.path("id").asText()));
            }
            assertEquals(List.of(10, 10, 5), sizes);
            assertEquals(written, sent);
        }
    }
}
