package io.edgesync.cli.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own checker. Found on the PATH (Debian's {@code prometheus} package ships it); when it
 * is missing and the build runs as root, {@code apt-get install -y prometheus} installs it. Never
 * skipped: without promtool the tests fail and say how to install it.
 */
final class Promtool {
    private Promtool() {
    }

    record Result(int exit, String output) {
    }

    static Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(path().toString());
        command.addAll(List.of(args));
        return exec(command, 60);
    }

    static synchronized Path path() throws Exception {
        Path found = find();
        if (found == null && "root".equals(System.getProperty("user.name")) && find("apt-get") != null) {
            exec(List.of("apt-get", "install", "-y", "-q", "prometheus"), 600);
            found = find();
        }
        if (found == null) {
            throw new AssertionError("promtool not found: install it (Debian: apt-get install prometheus; or put the "
                    + "promtool of a Prometheus 2.x release on the PATH, or set PROMTOOL)");
        }
        return found;
    }

    private static Path find() {
        String env = System.getenv("PROMTOOL");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Path.of(env);
        }
        return find("promtool");
    }

    private static Path find(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static Result exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
