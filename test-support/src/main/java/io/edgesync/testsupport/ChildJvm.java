package io.edgesync.testsupport;

import io.edgesync.embedded.ChildMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} class in a JVM of its own, started by a test so that it can be killed with
 * SIGKILL (no shutdown hook, no flush, no commit) and started again on the same data. The child
 * runs under {@link ChildMain}, which ends it when its standard input closes, so it never outlives
 * the test JVM; its output goes to a log file the test names. The one launcher every kill test uses.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} with {@code args} and a heap of {@code heap} (e.g. "256m"); output appended to {@code log}. */
    public static ChildJvm start(String name, Path log, String heap, Class<?> mainClass, String... args) {
        return start(name, log, heap, List.of(), mainClass, args);
    }

    /** As {@link #start(String, Path, String, Class, String...)}, with extra JVM options (e.g. -Dkey=value). */
    public static ChildJvm start(String name, Path log, String heap, List<String> jvmOptions, Class<?> mainClass,
                                 String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap, "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, ChildMain.class.getName(), mainClass.getName()));
        command.addAll(List.of(args));
        return launch(name, log, command);
    }

    /**
     * {@code mainClass} run directly on the given class path rather than the test's (e.g. the runtime class
     * path of a command, which holds neither test-support nor JUnit); output appended to {@code log}.
     */
    public static ChildJvm startOnClassPath(String name, Path log, String heap, String classPath, String mainClass,
                                            String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap, "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return launch(name, log, command);
    }

    private static ChildJvm launch(String name, Path log, List<String> command) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildJvm(name, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM " + name, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The exit status once the child has ended, else null. */
    public Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    public Path log() {
        return log;
    }

    /** Everything the child (and earlier children writing to the same log) printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log holds {@code marker} {@code times} times in all; fails at once if the child exits. */
    public void awaitOutput(String marker, int times, Duration timeout) {
        Objects.requireNonNull(marker);
        Await.until(timeout, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited " + process.exitValue() + "; log " + log);
            }
            return occurrences(output(), marker);
        }, n -> n >= times, name + " printing " + marker + " (log " + log + ")");
    }

    /** SIGKILL, then waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM (shutdown hooks run), then waits; returns the exit code. */
    public int stop(Duration timeout) {
        process.destroy();
        awaitExit(timeout);
        return process.exitValue();
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " (pid " + process.pid() + ") still running after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name);
        }
    }

    /** Kills the child if it still runs: a test that failed half-way leaves nothing behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int occurrences(String text, String marker) {
        int n = 0;
        for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + marker.length())) {
            n++;
        }
        return n;
    }
}
