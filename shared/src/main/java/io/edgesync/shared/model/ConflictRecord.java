package io.edgesync.shared.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The value of topic {@code telemetry.conflicts} (key: deviceId): one last-write-wins decision in
 * which {@code incoming} and {@code current} differed. {@code resolved} is the record that won
 * (equal to one of the two). Stored by the sink in {@code conflict_log}.
 *
 * @param conflictType {@link #STALE_VERSION} (incoming lost to a higher or later current),
 *                     {@link #CONCURRENT_UPDATE} (same version, different payload)
 * @param strategy     always {@link #LAST_WRITE_WINS}
 * @param decidedBy    which field decided: {@code version}, {@code timestamp} or {@code payloadHash}
 * @param detectedAt   processor clock, epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConflictRecord(
        String recordId,
        String deviceId,
        String conflictType,
        TelemetryRecord incoming,
        TelemetryRecord current,
        TelemetryRecord resolved,
        String strategy,
        String decidedBy,
        long detectedAt) {
    public static final String STALE_VERSION = "stale_version";
    public static final String CONCURRENT_UPDATE = "concurrent_update";
    public static final String LAST_WRITE_WINS = "last-write-wins";
}
