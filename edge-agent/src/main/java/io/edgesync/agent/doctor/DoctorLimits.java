package io.edgesync.agent.doctor;

import java.time.Duration;

/**
 * Thresholds of {@code edgesync agent doctor}.
 *
 * @param timeout        connect, handshake and request timeout per endpoint check
 * @param maxClockSkew   a larger difference between this device's clock and a service's {@code Date} fails
 * @param minFreeBytes   less usable space than this on the database's file system fails; less than twice this
 *                       warns
 * @param maxBacklogAge  an older pending record warns: the backlog is not draining
 * @param tokenRenewal   a token expiring sooner than this warns
 */
public record DoctorLimits(Duration timeout, Duration maxClockSkew, long minFreeBytes, Duration maxBacklogAge,
                           Duration tokenRenewal) {

    public static final DoctorLimits DEFAULTS = new DoctorLimits(Duration.ofSeconds(5), Duration.ofSeconds(30),
            256L * 1024 * 1024, Duration.ofHours(1), Duration.ofDays(7));
}
