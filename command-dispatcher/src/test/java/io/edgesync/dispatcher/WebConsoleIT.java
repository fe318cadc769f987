package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium}; the test fails, never skips,
 * without it) against a real dispatcher, broker and PostgreSQL with seeded devices: the rendered DOM
 * is read with {@code --dump-dom}, and screenshots of both pages are written to {@code target/console-*.png}.
 */
class WebConsoleIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    private static final Pattern DEVICE_ROW = Pattern.compile(
            "<tr data-device-id=\"([^\"]+)\">.*?<span class=\"status status-([a-z]+)\">", Pattern.DOTALL);

    static Harness h;
    static String chromium;
    static Path profile;

    @BeforeAll
    static void start() {
        chromium = chromium();
        profile = TempDirs.create("chromium-");
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of());
        for (int i = 0; i < 60; i++) {
            String id = String.format("ui-%03d", i);
            String token = DeploymentsIT.registerOn(h, id, "pump", null);
            if (i % 6 == 0) {
                Api.Response beat = h.api.post("/api/v1/devices/" + id + "/heartbeat", token,
                        "{\"agentVersion\":\"1.4.2\",\"pendingRecords\":" + i + "}");
                assertEquals(200, beat.status(), beat.raw());
            }
        }
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (profile != null) {
            TempDirs.deleteRecursively(profile);
        }
    }

    @Test
    void fleetPageRendersTheFirstPageOfDevicesWithStatusAndLastSeen() throws Exception {
        String dom = dumpDom("/ui/index.html#token=" + h.operator());

        assertTrue(dom.contains("data-state=\"loaded\""), dom);
        List<String[]> rows = rows(dom);
        assertEquals(50, rows.size(), dom);
        assertEquals("ui-000", rows.get(0)[0]);
        assertEquals("online", rows.get(0)[1]);
        assertEquals("registered", rows.get(1)[1]);
        assertEquals("ui-049", rows.get(49)[0]);
        assertTrue(dom.contains("2026-01-01 00:00:00 UTC"), "last seen of the online devices: " + dom);
        assertTrue(dom.contains("page 1, 50 devices"), dom);
        screenshot("/ui/index.html#token=" + h.operator(), "console-fleet.png");
    }

    @Test
    void fleetPageFiltersByStatusThroughTheApi() throws Exception {
        String dom = dumpDom("/ui/index.html?status=online&limit=25#token=" + h.operator());

        List<String[]> rows = rows(dom);
        assertEquals(10, rows.size(), dom);
        assertTrue(rows.stream().allMatch(r -> r[1].equals("online")), dom);
        assertEquals("ui-054", rows.get(9)[0]);
        assertTrue(dom.contains("(last page)"), dom);
    }

    @Test
    void aViewerTokenReadsTheFleetPageByPage() throws Exception {
        String dom = dumpDom("/ui/index.html?limit=25#token=" + h.viewer());

        List<String[]> rows = rows(dom);
        assertEquals(25, rows.size(), dom);
        assertEquals("ui-024", rows.get(24)[0]);
        assertTrue(dom.contains("page 1, 25 devices<"), "a next page exists: " + dom);
    }

    @Test
    void withoutATokenThePageAsksForOneAndAWrongTokenShowsTheApiError() throws Exception {
        String login = dumpDom("/ui/index.html");
        String wrong = dumpDom("/ui/index.html#token=not-a-token");

        assertTrue(login.contains("<form id=\"login\">"), login);
        assertTrue(wrong.contains("401 unauthenticated"), wrong);
        assertEquals(0, rows(wrong).size(), wrong);
    }

    @Test
    void devicePageShowsRecentCommandsAndConfig() throws Exception {
        Api.Response cmd = h.api.post("/api/v1/devices/ui-007/commands", h.operator(),
                "{\"commandType\":\"reboot-now\",\"payload\":{\"delay\":5}}");
        assertEquals(201, cmd.status(), cmd.raw());
        Api.Response cfg = h.api.put("/api/v1/devices/ui-007/config/sample.rate", h.operator(), "{\"value\":250}");
        assertEquals(200, cfg.status(), cfg.raw());

        String dom = dumpDom("/ui/device.html?id=ui-007#token=" + h.operator());

        assertTrue(dom.contains("data-state=\"loaded\""), dom);
        assertTrue(dom.contains("<tr data-command-id=\"" + cmd.text("commandId") + "\">"), dom);
        assertTrue(dom.contains("reboot-now"), dom);
        assertTrue(dom.contains("<tr data-key=\"sample.rate\">"), dom);
        assertTrue(dom.contains(">250<"), dom);
        screenshot("/ui/device.html?id=ui-007#token=" + h.operator(), "console-device.png");
    }

    @Test
    void consoleAssetsAreServedFromTheJarWithoutCdn() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> js = http.send(HttpRequest.newBuilder(URI.create(h.dispatcher.url() + "/ui/console.js"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(URI.create(h.dispatcher.url() + "/ui")).build(),
                HttpResponse.BodyHandlers.ofString());
        String index = dumpDom("/ui/#token=" + h.operator());

        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("content-type").orElse("").contains("javascript"), js.headers().toString());
        assertTrue(bare.statusCode() / 100 == 3, "status " + bare.statusCode());
        assertEquals(50, rows(index).size(), "/ui/ is the fleet page: " + index);
        for (String page : List.of("index.html", "device.html")) {
            String html = new String(WebConsoleIT.class.getResourceAsStream("/io/edgesync/dispatcher/ui/" + page)
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(!html.contains("http://") && !html.contains("https://"), page + " loads nothing remote");
        }
    }

    private static List<String[]> rows(String dom) {
        List<String[]> out = new ArrayList<>();
        Matcher m = DEVICE_ROW.matcher(dom);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    private static String dumpDom(String path) throws IOException, InterruptedException {
        return run("--dump-dom", h.dispatcher.url() + path);
    }

    private static void screenshot(String path, String file) throws IOException, InterruptedException {
        Path out = Path.of("target", file).toAbsolutePath();
        run("--screenshot=" + out, "--window-size=1280,900", h.dispatcher.url() + path);
        assertTrue(Files.size(out) > 10_000, "screenshot " + out);
    }

    /** Runs headless Chromium once (its own profile, virtual time so the page's fetches finish first). */
    private static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile,
                "--virtual-time-budget=10000"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(profile, "chromium-", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 90 s: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(log));
        return out;
    }

    /** Debian's chromium (or {@code CHROMIUM}); missing is a failure that says how to install it. */
    private static String chromium() {
        String configured = System.getenv("CHROMIUM");
        for (String c : new String[] {configured, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (c != null && Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new IllegalStateException("no headless Chromium: install it with `apt-get install -y chromium` "
                + "(or set CHROMIUM to its path)");
    }
}
