package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.cli.runtime.RuntimeClassPath;
import io.edgesync.embedded.TempDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code edgesync agent ingest | status | enroll} as a user runs them: separate processes. */
class AgentCliIT {
    Path dir;
    Path config;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TempDirs.create("agent-cli-");
        config = dir.resolve("agent.yaml");
        Files.writeString(config, "agent:\n  device-id: cli-device\n  database: " + dir.resolve("agent.db") + "\n");
    }

    @AfterEach
    void tearDown() {
        TempDirs.deleteRecursively(dir);
    }

    Run cli(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(AgentProcess.javaBin(), "-Xmx128m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", RuntimeClassPath.runtime(),
                EdgeSyncCli.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("edgesync " + args[0] + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void ingestStoresValidLinesReportsEachRefusedLineAndStatusCountsThem() throws Exception {
        String lines = String.join("\n",
                "{\"sensorId\":\"s1\",\"timestamp\":1700000000000,\"dataType\":\"temperature\",\"value\":21.5}",
                "{\"sensorId\":\"s1\",\"timestamp\":1700000000001,\"dataType\":\"temperature\",\"value\":\"warm\"}",
                "not json",
                "",
                "{\"id\":\"r-4\",\"sensorId\":\"s2\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"dataType\":\"rh\",\"value\":40}",
                "");
        Run ingest = cli(lines, "agent", "ingest", "--config", config.toString());

        assertEquals(1, ingest.exit(), ingest.err());
        assertTrue(ingest.out().contains("stored=2"), ingest.out());
        assertTrue(ingest.out().contains("refused=2"), ingest.out());
        assertTrue(ingest.err().contains("line 2: invalid_field: value must be a finite number"), ingest.err());
        assertTrue(ingest.err().contains("line 3: malformed_body"), ingest.err());

        Run status = cli("", "agent", "status", "--config", config.toString());
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("pending=2\n"), status.out());
        assertTrue(status.out().contains("synced=0\n"), status.out());
        assertTrue(status.out().contains("last-sync=never\n"), status.out());
    }

    @Test
    void enrollWithoutAnEnrollmentKeyIsAConfigurationError() throws Exception {
        Run enroll = cli("", "agent", "enroll", "--config", config.toString());
        assertEquals(2, enroll.exit());
        assertTrue(enroll.err().contains("agent.enrollment-key"), enroll.err());
    }

    @Test
    void anInvalidSettingNamesTheKeyAndExits2() throws Exception {
        Files.writeString(config, "agent:\n  device-id: d\n  store:\n    when-full: sometimes\n");
        Run run = cli("", "agent", "status", "--config", config.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("agent.store.when-full"), run.err());
        assertTrue(run.err().contains("reject-new, drop-oldest"), run.err());
    }
}
