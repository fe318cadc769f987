package io.edgesync.shared.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The value of topic {@code telemetry.conflicts} (key: deviceId): one last-write-wins decision in
 * which {@code incoming} and {@code current} differed. {@code resolved} is the record that won
 * (equal to one of the two). Stored by the sink in {@code conflict_log}.
 *
 * @param conflictId   a name-based UUID of the decision ({@link #idOf}): the same two records decided
 *                     again (a resend, a replay) get the same id; absent on records written before it existed
 * @param conflictType {@link #STALE_VERSION} (incoming lost to a higher or later current),
 *                     {@link #CONCURRENT_UPDATE} (same version, different payload)
 * @param strategy     always {@link #LAST_WRITE_WINS}
 * @param decidedBy    which field decided: {@code version}, {@code timestamp} or {@code payloadHash}
 * @param detectedAt   processor clock, epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConflictRecord(
        String conflictId,
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

    /** Without an id (records of producers that predate {@code conflictId}). */
    public ConflictRecord(String recordId, String deviceId, String conflictType, TelemetryRecord incoming,
                          TelemetryRecord current, TelemetryRecord resolved, String strategy, String decidedBy,
                          long detectedAt) {
        this(null, recordId, deviceId, conflictType, incoming, current, resolved, strategy, decidedBy, detectedAt);
    }

    /**
     * The id of the decision between {@code incoming} and {@code current}: a UUID (RFC 4122 version 3)
     * over the device, the record id and each side's (version, timestamp, payload hash). It does not
     * depend on when or by which processor the decision was made.
     */
    public static String idOf(TelemetryRecord incoming, TelemetryRecord current) {
        String name = String.join("\u0000", "conflict", incoming.deviceId(), incoming.id(), side(incoming),
                side(current));
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String side(TelemetryRecord r) {
        return r.version() + "/" + r.timestamp() + "/" + RecordOrdering.payloadHash(r);
    }
}
