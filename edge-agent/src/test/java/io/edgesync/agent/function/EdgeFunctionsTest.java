package io.edgesync.agent.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.plan.FunctionActions;
import io.edgesync.agent.store.StoreOptions;
import io.edgesync.agent.sync.TelemetrySync;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import io.edgesync.agent.store.FunctionStore;
import io.edgesync.agent.store.LocalStore;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploying and removing against a real SQLite store, modules served over HTTP by the JDK's server. */
class EdgeFunctionsTest {
    @TempDir
    Path dir;
    HttpServer server;
    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    LocalStore store;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            Integer status = statuses.get(path);
            if (status != null && status == 307) {
                ex.getResponseHeaders().add("Location", "/tag");
                ex.sendResponseHeaders(307, -1);
            } else if (status != null) {
                ex.sendResponseHeaders(status, -1);
            } else {
                byte[] body = served.getOrDefault(path, new byte[0]);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        store = LocalStore.open(dir.resolve("agent.db"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        store.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private EdgeFunctions functions(LocalStore s) {
        return new EdgeFunctions(new FunctionStore(s), new ModuleDownloader(HttpClient.newHttpClient(),
                Duration.ofSeconds(10), 64 * 1024), FunctionOptions.DEFAULT);
    }

    @Test
    void aVerifiedModuleIsStoredInSqliteAndRunsAgainAfterReopening() throws Exception {
        byte[] tag = FunctionRuntimeTest.module("tag");
        served.put("/tag", tag);
        try (EdgeFunctions f = functions(store)) {
            f.deploy("f1", "tag", "1.0.0", ModuleDownloader.sha256(tag), url("/tag"), 10);
            assertEquals(List.of(new FunctionActions.Installed("f1", "tag", "1.0.0", ModuleDownloader.sha256(tag),
                    10)), f.installed());
            assertEquals(List.of("tag"), f.active().stream().map(EdgeFunctions.Active::name).toList());
        }
        store.close();
        store = LocalStore.open(dir.resolve("agent.db"), Clock.systemUTC());
        try (EdgeFunctions reopened = functions(store)) {
            assertEquals(1, reopened.active().size(), "loaded from the store, not downloaded again");
        }
    }

    @Test
    void aHashMismatchIsRefusedPermanentlyAndNothingIsStoredOrRun() throws Exception {
        byte[] tag = FunctionRuntimeTest.module("tag");
        byte[] corrupted = tag.clone();
        corrupted[corrupted.length - 1] ^= 1;
        served.put("/tag", corrupted);
        try (EdgeFunctions f = functions(store)) {
            FunctionActions.Failed e = assertThrows(FunctionActions.Failed.class,
                    () -> f.deploy("f1", "tag", "1.0.0", ModuleDownloader.sha256(tag), url("/tag"), 10));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().startsWith("sha-256 mismatch"), e.getMessage());
            assertEquals(List.of(), f.installed());
            assertEquals(List.of(), f.active());
        }
    }

    @Test
    void aModuleThatIsNotValidIsRefusedPermanently() throws Exception {
        byte[] importer = FunctionRuntimeTest.module("importer");
        served.put("/importer", importer);
        try (EdgeFunctions f = functions(store)) {
            FunctionActions.Failed e = assertThrows(FunctionActions.Failed.class,
                    () -> f.deploy("f1", "importer", "1", ModuleDownloader.sha256(importer), url("/importer"), 1));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("may import nothing"), e.getMessage());
            assertEquals(List.of(), f.installed());
        }
    }

    @Test
    void aRefusedUrlIsRetryableAndARedirectIsFollowed() throws Exception {
        byte[] tag = FunctionRuntimeTest.module("tag");
        served.put("/tag", tag);
        statuses.put("/expired", 403);
        statuses.put("/download", 307);
        try (EdgeFunctions f = functions(store)) {
            FunctionActions.Failed e = assertThrows(FunctionActions.Failed.class,
                    () -> f.deploy("f1", "tag", "1", ModuleDownloader.sha256(tag), url("/expired"), 1));
            assertTrue(e.retryable(), e.getMessage());
            assertTrue(e.getMessage().contains("403"), e.getMessage());
            f.deploy("f1", "tag", "1", ModuleDownloader.sha256(tag), url("/download"), 1);
            assertEquals(1, f.installed().size());
        }
    }

    @Test
    void aModuleOverTheSizeLimitIsRefused() throws Exception {
        byte[] big = new byte[64 * 1024 + 1];
        served.put("/big", big);
        try (EdgeFunctions f = functions(store)) {
            FunctionActions.Failed e = assertThrows(FunctionActions.Failed.class,
                    () -> f.deploy("f1", "big", "1", ModuleDownloader.sha256(big), url("/big"), 1));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("larger than"), e.getMessage());
        }
    }

    @Test
    void theAgentStoresWhatItsDeployedFunctionProduces() throws Exception {
        byte[] tag = FunctionRuntimeTest.module("tag");
        served.put("/tag", tag);
        Path db = dir.resolve("edge.db");
        AgentConfig config = new AgentConfig("dev-1", db, "http://127.0.0.1:9", null, null, 100, Duration.ofHours(1),
                Duration.ofSeconds(5), new TelemetrySync.RetryPolicy(1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1)),
                StoreOptions.defaults(), -1, null, Duration.ofSeconds(30), Duration.ofSeconds(30), "edge-agent",
                Duration.ofSeconds(30), new FunctionOptions(new FunctionLimits(Duration.ofSeconds(10), 16),
                FunctionOptions.OnFailure.KEEP, 1024 * 1024));
        try (EdgeAgent agent = EdgeAgent.open(config)) {
            agent.record("s1", "temp", 1.0, "C");
            agent.functions().deploy("f1", "tag", "1", ModuleDownloader.sha256(tag), url("/tag"), 1);
            agent.record("s1", "temp", 2.0, "C");
            assertEquals(2, agent.functionStats().calls() + 1, "one call: the reading before the deploy ran none");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("SELECT value, metadata FROM telemetry_data ORDER BY value")) {
            assertTrue(rs.next());
            assertEquals(null, rs.getString(2));
            assertTrue(rs.next());
            assertEquals("{\"edgeFn\":\"tag\"}", rs.getString(2));
        }
    }

    @Test
    void aNewVersionOfANameReplacesTheOldAndRemoveUninstalls() throws Exception {
        byte[] tag = FunctionRuntimeTest.module("tag");
        byte[] identity = FunctionRuntimeTest.module("identity");
        served.put("/tag", tag);
        served.put("/identity", identity);
        try (EdgeFunctions f = functions(store)) {
            f.deploy("f1", "fn", "1", ModuleDownloader.sha256(tag), url("/tag"), 1);
            f.deploy("f2", "fn", "2", ModuleDownloader.sha256(identity), url("/identity"), 1);
            assertEquals(List.of("f2"), f.installed().stream().map(FunctionActions.Installed::id).toList());
            f.remove("f2");
            assertEquals(List.of(), f.installed());
            assertEquals(List.of(), f.active());
        }
    }
}
