package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.PostgresServer;
import io.edgesync.embedded.TempDirs;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the database down, or answering nothing (frozen with SIGSTOP), every endpoint answers 503
 * with Retry-After (never 500, and within a bound of the socket timeout), and recovers after.
 */
class DatabaseOutageIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);

    @Test
    void databaseDownIsA503AndServiceResumesWhenItIsBack() {
        Path dir = TempDirs.create("pg-outage-");
        // a persistent server: its data survives the stop and start below
        try (PostgresServer pg = PostgresServer.start(dir.resolve("data"),
                Path.of(System.getProperty("java.io.tmpdir"), "pg-binaries"), 0, true);
             Harness h = new Harness(KAFKA.bootstrapServers(), pg.jdbcUrl(), Map.of())) {
            String token = h.register("outage-1");
            String command = h.api.post("/api/v1/devices/outage-1/commands", h.operator(),
                    "{\"commandType\":\"reboot\"}").text("commandId");
            // GIVEN the database stops
            pg.stop();
            try {
                // WHEN operators and devices call
                Api.Response list = h.api.get("/api/v1/devices", h.operator());
                Api.Response poll = h.api.get("/api/v1/sync/commands/outage-1", token);
                // THEN both get a retryable 503, not a 500
                assertEquals(503, list.status(), list.raw());
                assertEquals("unavailable", list.errorCode());
                assertTrue(list.body().path("error").path("retryable").asBoolean());
                assertEquals(503, poll.status(), poll.raw());
            } finally {
                pg.start();
            }
            // AND once it is back the command queued before the outage is delivered
            Api.Response after = Await.until(Duration.ofSeconds(60),
                    () -> h.api.get("/api/v1/sync/commands/outage-1", token), r -> r.status() == 200,
                    "a poll answered after the restart");
            assertEquals(command, after.body().path("commands").get(0).path("commandId").asText());
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    @Test
    void databaseThatStopsAnsweringIsA503WithinTheSocketTimeout() {
        Path dir = TempDirs.create("pg-hang-");
        try (PostgresServer pg = PostgresServer.start(dir.resolve("data"),
                Path.of(System.getProperty("java.io.tmpdir"), "pg-binaries"), 0, false);
             Harness h = new Harness(KAFKA.bootstrapServers(), pg.jdbcUrl(), Map.of(
                     "database.statement-timeout", "1s", "database.socket-timeout", "2s"))) {
            String token = h.register("hang-1");
            // GIVEN the database stops answering without closing its connections
            Signals.stopTree(pg.pid());
            long list;
            long poll;
            Api.Response listAnswer;
            Api.Response pollAnswer;
            try {
                // WHEN an operator and a device call
                long t0 = System.nanoTime();
                listAnswer = h.api.get("/api/v1/devices", h.operator());
                list = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                t0 = System.nanoTime();
                pollAnswer = h.api.get("/api/v1/sync/commands/hang-1", token);
                poll = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            } finally {
                Signals.continueTree(pg.pid());
            }
            // THEN both get a retryable 503 within a bound of the 2 s socket timeout, not a hang
            System.out.println("event=database_hang_it list_ms=" + list + " poll_ms=" + poll);
            assertEquals(503, listAnswer.status(), listAnswer.raw());
            assertEquals("unavailable", listAnswer.errorCode());
            assertEquals(503, pollAnswer.status(), pollAnswer.raw());
            assertTrue(list < 10_000 && poll < 10_000, "answered after " + list + " ms and " + poll + " ms");
            // AND once it answers again so does the dispatcher
            Await.until(Duration.ofSeconds(60), () -> h.api.get("/api/v1/devices", h.operator()).status(),
                    s -> s == 200, "devices listed after the database answers again");
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }
}
