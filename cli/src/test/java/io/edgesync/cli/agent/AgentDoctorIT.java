package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.doctor.Doctor;
import io.edgesync.agent.doctor.DoctorLimits;
import io.edgesync.agent.doctor.Finding;
import io.edgesync.agent.store.LocalStore;
import io.edgesync.cli.ControlPlane;
import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.cli.runtime.RuntimeClassPath;
import io.edgesync.embedded.FreePorts;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.testsupport.Await;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code edgesync agent doctor} against a real control plane (gateway, dispatcher, broker, PostgreSQL)
 * beside a running, enrolled agent: a healthy device passes every check, and each failure the doctor
 * detects is produced for real (unresolvable host, closed port, TLS to a plain port, a clock off by ten
 * minutes, an expired, a foreign and a revoked token, a corrupted database, a full disk threshold, a
 * stale backlog, stopped uploads, no token) and reported as FAIL or WARN with a fix.
 */
class AgentDoctorIT {
    static final String DEVICE = "doctor-device-1";
    static final DoctorLimits LIMITS = new DoctorLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 1024 * 1024,
            Duration.ofHours(1), Duration.ofDays(7));
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Path dir;
    static ControlPlane plane;
    static EdgeAgent agent;

    @BeforeAll
    static void start() throws Exception {
        dir = TempDirs.create("agent-doctor-");
        plane = ControlPlane.start(new ControlPlane.Options(dir.resolve("plane"), 0, 0, 0, 0, null, false));
        agent = EdgeAgent.open(config(DEVICE, dir.resolve("agent.db"), Map.of()));
        agent.enrol();
        agent.record("s1", "temperature", 21.0, "C");
        agent.syncNow();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (plane != null) {
            plane.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    static AgentConfig config(String device, Path db, Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>(Map.of("agent.device-id", device, "agent.database", db.toString(),
                "agent.gateway-url", plane.gatewayUrl(), "agent.dispatcher-url", plane.dispatcherUrl(),
                "agent.enrollment-key", plane.credentials().enrollmentKey(), "agent.http.port", "-1",
                "agent.sync-interval", "1h"));
        m.putAll(overrides);
        return AgentConfig.from(ConfigSource.of(m));
    }

    static List<Finding> doctor(AgentConfig config, Clock clock) throws Exception {
        return new Doctor(config, SSLContext.getDefault(), LIMITS, clock).run();
    }

    static Map<String, Finding> byCheck(List<Finding> findings) {
        return findings.stream().collect(Collectors.toMap(Finding::check, f -> f, (a, b) -> a));
    }

    static Finding only(List<Finding> findings, String check, Finding.Status status) {
        Finding f = byCheck(findings).get(check);
        assertTrue(f != null, "no " + check + " check in\n" + Doctor.render(findings));
        assertEquals(status, f.status(), Doctor.render(findings));
        if (status != Finding.Status.OK) {
            assertTrue(!f.fix().isBlank(), "a fix for " + check);
        }
        return f;
    }

    @Test
    void aHealthyEnrolledAgentPassesEveryCheckBesideTheRunningAgent() throws Exception {
        List<Finding> findings = doctor(agent.config(), Clock.systemUTC());

        for (String check : List.of("disk", "store integrity", "backlog", "last sync", "token", "dns gateway",
                "connect gateway", "ready gateway", "auth gateway", "dns dispatcher", "connect dispatcher",
                "ready dispatcher", "auth dispatcher", "clock gateway", "clock dispatcher")) {
            only(findings, check, Finding.Status.OK);
        }
        assertEquals(0, Doctor.exitCode(findings), Doctor.render(findings));
        assertTrue(byCheck(findings).get("last sync").detail().contains("up at"), Doctor.render(findings));
    }

    @Test
    void connectivityFailuresAreNamedWithWhatToDo() throws Exception {
        int closed = FreePorts.pick();
        String plain = URI.create(plane.gatewayUrl()).getPort() + "";
        List<Finding> findings = doctor(config(DEVICE, agent.config().databaseFile(), Map.of(
                "agent.gateway-url", "http://no-such-host.invalid:7070",
                "agent.dispatcher-url", "http://127.0.0.1:" + closed)), Clock.systemUTC());
        assertTrue(only(findings, "dns gateway", Finding.Status.FAIL).fix().contains("resolv.conf"));
        assertTrue(only(findings, "connect dispatcher", Finding.Status.FAIL).detail().contains("127.0.0.1:" + closed));
        assertEquals(1, Doctor.exitCode(findings));

        List<Finding> tls = doctor(config(DEVICE, agent.config().databaseFile(), Map.of(
                "agent.gateway-url", "https://127.0.0.1:" + plain)), Clock.systemUTC());
        assertTrue(only(tls, "tls gateway", Finding.Status.FAIL).detail().contains("handshake"));
        only(tls, "auth dispatcher", Finding.Status.OK);
    }

    @Test
    void aClockTenMinutesAheadFailsTheClockCheck() throws Exception {
        List<Finding> findings = doctor(agent.config(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
        Finding clock = only(findings, "clock gateway", Finding.Status.FAIL);
        only(findings, "clock dispatcher", Finding.Status.FAIL);
        assertTrue(clock.detail().contains("ahead of"), clock.detail());
        assertTrue(clock.fix().contains("NTP"), clock.fix());
    }

    @Test
    void expiredForeignAndRevokedTokensAreRefused() throws Exception {
        String expired = jwt("{\"sub\":\"" + DEVICE + "\",\"exp\":1000}");
        List<Finding> e = doctor(config(DEVICE, agent.config().databaseFile(), Map.of("agent.token", expired)),
                Clock.systemUTC());
        assertTrue(only(e, "token", Finding.Status.FAIL).detail().contains("expired at"));
        assertTrue(only(e, "auth dispatcher", Finding.Status.FAIL).detail().contains("401"));
        assertTrue(only(e, "auth gateway", Finding.Status.FAIL).detail().contains("401"));

        String foreign = jwt("{\"sub\":\"someone-else\",\"exp\":99999999999}");
        List<Finding> f = doctor(config(DEVICE, agent.config().databaseFile(), Map.of("agent.token", foreign)),
                Clock.systemUTC());
        assertTrue(only(f, "token", Finding.Status.FAIL).detail().contains("names device someone-else"));

        // a second, real device whose token an operator revokes
        Path db = dir.resolve("revoked.db");
        AgentConfig second = config("doctor-device-2", db, Map.of());
        try (EdgeAgent other = EdgeAgent.open(second)) {
            other.enrol();
        }
        only(doctor(second, Clock.systemUTC()), "auth dispatcher", Finding.Status.OK);
        HttpResponse<String> revoke = HTTP.send(HttpRequest.newBuilder(URI.create(plane.dispatcherUrl()
                        + "/api/v1/devices/doctor-device-2/token"))
                .header("Authorization", "Bearer " + plane.credentials().operatorToken()).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(2, revoke.statusCode() / 100, revoke.body());
        only(doctor(second, Clock.systemUTC()), "auth dispatcher", Finding.Status.FAIL);
        Await.equalTo(Duration.ofSeconds(10), () -> byCheck(doctor(second, Clock.systemUTC())).get("auth gateway")
                .status(), Finding.Status.FAIL, "the gateway refuses the revoked token");
    }

    @Test
    void storeFailuresCorruptionStaleBacklogStoppedUploadsNoTokenAndLowDisk() throws Exception {
        // a database with a page overwritten in the middle
        Path corrupt = dir.resolve("corrupt.db");
        try (LocalStore store = LocalStore.open(corrupt, Clock.systemUTC())) {
            for (int i = 0; i < 20; i++) {
                List<io.edgesync.shared.model.TelemetryRecord> batch = new ArrayList<>();
                for (int j = 0; j < 500; j++) {
                    batch.add(new io.edgesync.shared.model.TelemetryRecord("r-" + i + "-" + j, DEVICE, "s" + j,
                            1_700_000_000_000L + j, "temperature", j, "C", null, 1, null, null));
                }
                store.insert(batch);
            }
        }
        try (RandomAccessFile f = new RandomAccessFile(corrupt.toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(new byte[8192]);
        }
        List<Finding> c = doctor(config(DEVICE, corrupt, Map.of()), Clock.systemUTC());
        Finding integrity = only(c, "store integrity", Finding.Status.FAIL);
        assertTrue(integrity.detail().startsWith("PRAGMA integrity_check: "), integrity.detail());
        assertTrue(integrity.fix().contains(".recover"), integrity.fix());

        // pending records written two hours ago, uploads stopped by a 401, no token stored
        Path stale = dir.resolve("stale.db");
        try (LocalStore store = LocalStore.open(stale, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))) {
            store.insert(List.of(new io.edgesync.shared.model.TelemetryRecord("old-1", DEVICE, "s1",
                    1_700_000_000_000L, "temperature", 1, "C", null, 1, null, null)));
            store.putState("sync_stopped", "gateway answered 401: token revoked");
        }
        List<Finding> s = doctor(config(DEVICE, stale, Map.of()), Clock.systemUTC());
        assertTrue(only(s, "backlog", Finding.Status.WARN).detail().startsWith("1 records pending, the oldest written"
                + " 2 h"), Doctor.render(s));
        assertTrue(only(s, "uploads", Finding.Status.FAIL).detail().contains("token revoked"));
        assertTrue(only(s, "token", Finding.Status.FAIL).fix().contains("agent enroll"));

        // a free-space threshold above what the disk has
        List<Finding> d = new Doctor(agent.config(), SSLContext.getDefault(), new DoctorLimits(Duration.ofSeconds(5),
                Duration.ofSeconds(30), Long.MAX_VALUE / 4, Duration.ofHours(1), Duration.ofDays(7)),
                Clock.systemUTC()).run();
        only(d, "disk", Finding.Status.FAIL);

        // no database at all
        only(doctor(config(DEVICE, dir.resolve("absent.db"), Map.of()), Clock.systemUTC()), "store",
                Finding.Status.FAIL);
    }

    @Test
    void theCommandPrintsOneLinePerCheckWithFixesAndExits1OnAFailure() throws Exception {
        Path config = dir.resolve("doctor.yaml");
        Files.writeString(config, "agent:\n  device-id: " + DEVICE + "\n  database: " + agent.config().databaseFile()
                + "\n  gateway-url: http://no-such-host.invalid:7070\n  dispatcher-url: " + plane.dispatcherUrl()
                + "\n");
        List<String> command = List.of(AgentProcess.javaBin(), "-Xmx128m", "-cp", RuntimeClassPath.runtime(),
                EdgeSyncCli.class.getName(), "agent", "doctor", "--config", config.toString(), "--min-free-mib", "1");
        Path out = dir.resolve("doctor.out");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "doctor finished");
        String text = Files.readString(out);
        assertEquals(1, p.exitValue(), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("FAIL +dns gateway +cannot resolve no-such-host\\.invalid")),
                text);
        assertTrue(text.lines().anyMatch(l -> l.matches("OK +auth dispatcher +token accepted \\(200\\)")), text);
        assertTrue(text.contains("fix: check agent.gateway-url"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\d+ checks: \\d+ ok, \\d+ warnings, 1 failed")), text);
    }

    static String jwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"EdDSA\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(new byte[64]);
    }
}
