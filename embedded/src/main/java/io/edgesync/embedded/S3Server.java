package io.edgesync.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real S3-compatible server: S3Proxy with its filesystem backend, listening on 127.0.0.1, SigV4
 * authentication (so signed URLs, their expiry and tampering are checked as by S3 or MinIO), data in
 * a folder the caller owns. It runs in a child JVM from S3Proxy's own shaded jar (copied to
 * {@code embedded/target/s3proxy} by the build): it ships logback, Jetty 11.0.24, Jackson 2.18 and
 * Guava, none of which may meet ours on one class path. The child ends when this JVM does (stdin).
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "edgesync-local";
    public static final String SECRET_KEY = "edgesync-local-secret";
    private static final String JAR = "s3proxy-jar-with-dependencies.jar";

    private final Process process;
    private final int port;

    private S3Server(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts S3Proxy on {@code port} (0 picks one), storing under {@code dataDir}; waits until it accepts. */
    public static S3Server start(Path dataDir, int port) {
        int p = port == 0 ? FreePorts.pick() : port;
        try {
            Path blobs = dataDir.resolve("blobs");
            Files.createDirectories(blobs);
            Properties props = new Properties();
            props.put("s3proxy.endpoint", "http://127.0.0.1:" + p);
            props.put("s3proxy.authorization", "aws-v2-or-v4");
            props.put("s3proxy.identity", ACCESS_KEY);
            props.put("s3proxy.credential", SECRET_KEY);
            props.put("jclouds.provider", "filesystem");
            props.put("jclouds.filesystem.basedir", blobs.toString());
            Path propsFile = dataDir.resolve("s3proxy.properties");
            try (OutputStream out = Files.newOutputStream(propsFile)) {
                props.store(out, "EdgeSync embedded S3Proxy");
            }
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-cp", jar().toString() + java.io.File.pathSeparator + ownClasses(),
                    ChildMain.class.getName(), "org.gaul.s3proxy.Main", "--properties", propsFile.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("s3proxy.log").toFile())).start();
            S3Server server = new S3Server(process, p);
            server.awaitListening(Duration.ofSeconds(60), dataDir.resolve("s3proxy.log"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Proxy in " + dataDir, e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    private void awaitListening(Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited " + process.exitValue() + "; log " + log);
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy not listening on 127.0.0.1:" + port + " after "
                            + timeout + " (log " + log + ")");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /** The shaded S3Proxy jar: {@code -Dedgesync.s3proxy.jar}, else next to this module's classes. */
    static Path jar() {
        String configured = System.getProperty("edgesync.s3proxy.jar");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            Path classes = Path.of(S3Server.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = classes.getParent().resolve("s3proxy").resolve(JAR);
            if (Files.exists(candidate)) {
                return candidate;
            }
            throw new IllegalStateException("S3Proxy jar not found at " + candidate
                    + "; build the embedded module (mvn -pl embedded package) or set -Dedgesync.s3proxy.jar");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Only ChildMain from our classes (it holds nothing S3Proxy would see twice). */
    private static String ownClasses() {
        try {
            return Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        Objects.requireNonNull(process);
    }
}
