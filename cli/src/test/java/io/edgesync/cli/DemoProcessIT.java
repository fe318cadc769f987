package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.testsupport.Await;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code edgesync demo} as a user runs it: a separate process, stopped with SIGTERM. */
class DemoProcessIT {

    @Test
    void demoReportsEveryRecordOnceAndStopsOnSigtermLeavingNothingBehind() throws Exception {
        Path home = TempDirs.create("demo-home-");
        List<String> out = new CopyOnWriteArrayList<>();
        Process demo = new ProcessBuilder(javaBin(), "-Xmx1g", "-Duser.home=" + home,
                "-Djava.io.tmpdir=" + home, "-cp", System.getProperty("java.class.path"),
                EdgeSyncCli.class.getName(), "demo", "--devices", "10", "--records-per-device", "30")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        out.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            reader.start();

            // GIVEN the demo ran its fleet to the end
            Await.until(Duration.ofMinutes(3), () -> String.join("\n", out),
                    s -> s.contains("press Ctrl-C to stop") || !demo.isAlive(), "demo summary");
            String printed = String.join("\n", out);
            assertTrue(printed.contains("records written at the edges:   300"), printed);
            assertTrue(printed.contains("in telemetry_data exactly once: yes"), printed);
            // AND the example edge function, deployed to the fleet's type, enriched every reading at the edge
            assertTrue(printed.contains("running on 10 of 10 devices"), printed);
            // (a call past the time limit on a loaded machine keeps its reading as written, flagged: never lost)
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "transformed at the edge by tag: (\\d+) \\(\\+(\\d+) kept as written").matcher(printed);
            assertTrue(m.find(), printed);
            assertTrue(Long.parseLong(m.group(1)) > 0, printed);
            assertTrue(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) == 300, printed);
            assertTrue(printed.lines().anyMatch(l -> l.matches("gateway=http://127\\.0\\.0\\.1:\\d+")), printed);
            assertTrue(printed.lines().anyMatch(l -> l.matches("kafka=127\\.0\\.0\\.1:\\d+")), printed);
            Path dataDir = Path.of(out.get(0).replaceAll("^starting .* in (.*) \\.\\.\\.$", "$1"));
            assertTrue(Files.isDirectory(dataDir), "demo data directory " + dataDir);
            // pg_ctl detaches PostgreSQL from the JVM, so find it by its data directory
            List<ProcessHandle> children = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(dataDir.toString()))
                    .toList();
            assertFalse(children.isEmpty(), "the embedded PostgreSQL runs in its own process");

            // WHEN it receives SIGTERM
            demo.destroy();

            // THEN it exits, with no child process and no data directory left behind
            assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "demo exited after SIGTERM");
            reader.join(5_000);
            for (ProcessHandle child : children) {
                Await.equalTo(Duration.ofSeconds(10), child::isAlive, false, "child " + child.pid() + " alive");
            }
            assertFalse(Files.exists(dataDir), "temporary data directory removed");
        } finally {
            demo.destroyForcibly();
            TempDirs.deleteRecursively(home);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString() + (File.separatorChar == '\\' ? ".exe" : "");
    }
}
