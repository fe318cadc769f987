package io.edgesync.cli.agent;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.doctor.Doctor;
import io.edgesync.agent.doctor.DoctorLimits;
import io.edgesync.agent.doctor.Finding;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import io.edgesync.shared.config.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgesync agent doctor}: checks connectivity, TLS, clock, token and store, and says what to do. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Checks what the agent needs to sync and prints what to do about each failure: store integrity"
            + " (PRAGMA integrity_check), free disk, pending backlog, stopped uploads and the last sync error, the"
            + " device token (present, a JWT for this device, not expired), and for the gateway and dispatcher DNS,"
            + " TCP, TLS, /health/ready, clock skew and whether the token is accepted. Read-only, safe while the"
            + " agent runs. Exit 0 when nothing failed (warnings allowed), 1 when a check failed, 2 on a"
            + " configuration error. docs/troubleshooting.md")
final class AgentDoctorCommand implements Callable<Integer> {
    @Mixin
    AgentOptions options;

    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "Connect, handshake and request timeout per endpoint (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--max-clock-skew", defaultValue = "30s", converter = DurationConverter.class,
            description = "Clock difference to a service that fails the clock check (default ${DEFAULT-VALUE}).")
    Duration maxClockSkew;

    @Option(names = "--min-free-mib", defaultValue = "256",
            description = "Free space on the database's file system below which the disk check fails; below twice"
                + " this it warns (default ${DEFAULT-VALUE}).")
    long minFreeMib;

    @Option(names = "--max-backlog-age", defaultValue = "1h", converter = DurationConverter.class,
            description = "Age of the oldest pending record above which the backlog check warns"
                + " (default ${DEFAULT-VALUE}).")
    Duration maxBacklogAge;

    @Override
    public Integer call() throws NoSuchAlgorithmException {
        AgentConfig config = options.load();
        DoctorLimits limits = new DoctorLimits(timeout, maxClockSkew, minFreeMib * 1024 * 1024, maxBacklogAge,
                DoctorLimits.DEFAULTS.tokenRenewal());
        List<Finding> findings = new Doctor(config, SSLContext.getDefault(), limits, Clock.systemUTC()).run();
        System.out.print(Doctor.render(findings));
        return Doctor.exitCode(findings);
    }

    /** Durations as settings spell them: 500ms, 5s, 1h, 7d. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Setting.parseDuration(value);
        }
    }
}
