package io.edgesync.processor;

import io.edgesync.testsupport.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link ProcessorChild} JVM started by a test; its output goes to a log file beside its state. */
final class ChildProcessor implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildProcessor(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildProcessor start(String bootstrap, String applicationId, Path stateDir) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Path log = Files.createTempFile(stateDir.getParent(), "child-processor-", ".log");
            Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx384m",
                    "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", classPath,
                    ProcessorChild.class.getName(), bootstrap, applicationId, stateDir.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ChildProcessor(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child processor", e);
        }
    }

    void awaitRunning() {
        Await.until(Duration.ofMinutes(3), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("child processor exited " + process.exitValue() + ": " + output());
            }
            return output().contains(ProcessorChild.RUNNING);
        }, running -> running, "the child processor running (log " + log + ")");
    }

    /** SIGKILL: no shutdown hook, no commit, no leaving the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("child processor " + process.pid() + " survived SIGKILL");
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // the log stays in target/tmp
        }
    }
}
