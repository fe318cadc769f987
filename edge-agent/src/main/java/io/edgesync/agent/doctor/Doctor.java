package io.edgesync.agent.doctor;

import io.edgesync.agent.AgentConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * {@code edgesync agent doctor}: checks what an unattended device needs to sync — its store (integrity,
 * free disk, backlog, stopped uploads, the last sync's error), its token, and for the gateway and the
 * dispatcher DNS, TCP, TLS, readiness, clock skew and whether the token is accepted — and says what to
 * do about each failure. Read-only: safe beside a running agent.
 */
public final class Doctor {
    private final AgentConfig config;
    private final SSLContext tls;
    private final DoctorLimits limits;
    private final Clock clock;

    public Doctor(AgentConfig config, SSLContext tls, DoctorLimits limits, Clock clock) {
        this.config = config;
        this.tls = tls;
        this.limits = limits;
        this.clock = clock;
    }

    public List<Finding> run() {
        List<Finding> out = new ArrayList<>();
        StoreChecks.Stored stored = new StoreChecks(config.databaseFile(), limits, clock).run(out);
        String deviceId = config.deviceId() != null ? config.deviceId() : stored.deviceId();
        String token = config.token() != null ? config.token() : stored.token();
        if (deviceId == null) {
            out.add(Finding.fail("device", "no device id (agent.device-id unset and the device is not enrolled)",
                    "set agent.device-id, or enroll: `edgesync agent enroll`"));
        }
        Finding tokenFinding = TokenCheck.check(token, deviceId, limits, clock);
        out.add(tokenFinding);
        String usable = tokenFinding.status() == Finding.Status.FAIL && token == null ? null : token;
        EndpointChecks endpoints = new EndpointChecks(tls, limits, clock);
        endpoints.run(out, "gateway", config.gatewayUrl(), EndpointChecks.Probe.GATEWAY, deviceId, usable);
        if (config.dispatcherUrl() != null) {
            endpoints.run(out, "dispatcher", config.dispatcherUrl(), EndpointChecks.Probe.DISPATCHER, deviceId,
                    usable);
        }
        return out;
    }

    /** 1 when any check failed, else 0 (warnings do not fail). */
    public static int exitCode(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.status() == Finding.Status.FAIL) ? 1 : 0;
    }

    /** One line per check ({@code OK|WARN|FAIL  check  detail}), the fix indented under it, then a summary. */
    public static String render(List<Finding> findings) {
        int width = findings.stream().mapToInt(f -> f.check().length()).max().orElse(10);
        StringBuilder out = new StringBuilder();
        for (Finding f : findings) {
            out.append(String.format(Locale.ROOT, "%-4s  %-" + width + "s  %s%n", f.status(), f.check(), f.detail()));
            if (f.status() != Finding.Status.OK && !f.fix().isEmpty()) {
                out.append(" ".repeat(6 + width)).append("fix: ").append(f.fix()).append(System.lineSeparator());
            }
        }
        long warn = findings.stream().filter(f -> f.status() == Finding.Status.WARN).count();
        long fail = findings.stream().filter(f -> f.status() == Finding.Status.FAIL).count();
        out.append(String.format(Locale.ROOT, "%d checks: %d ok, %d warnings, %d failed%n", findings.size(),
                findings.size() - warn - fail, warn, fail));
        return out.toString();
    }
}
