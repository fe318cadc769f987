package io.edgesync.processor.topology;

import io.edgesync.processor.state.IdentityState;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.RecordOrdering;

/**
 * The last-write-wins decision for one incoming record against the identity's current winner. The
 * order is {@link RecordOrdering#LAST_WRITE_WINS} (version, then timestamp, then payload hash),
 * evaluated on the stored ordering fields so the winner's JSON is never parsed to decide.
 *
 * @param duplicate    the incoming record was decided before (same version, timestamp and payload)
 * @param incomingWins the incoming record becomes the winner and goes to telemetry.clean
 * @param conflictType null when no conflict record is written, else a {@link ConflictRecord} type
 * @param decidedBy    the field that decided: version, timestamp or payloadHash (null for first/duplicate)
 */
public record Decision(boolean duplicate, boolean incomingWins, String conflictType, String decidedBy) {
    public static final Decision FIRST = new Decision(false, true, null, null);
    public static final Decision DUPLICATE = new Decision(true, false, null, null);
    /** A correction from the edge: a higher version replaces the winner; not a conflict. */
    public static final Decision NEWER_VERSION = new Decision(false, true, null, "version");
    /** An older version arrived after a newer one: it loses and is logged. */
    public static final Decision STALE_VERSION = new Decision(false, false, ConflictRecord.STALE_VERSION, "version");

    public static Decision decide(IdentityState current, int version, long timestamp, long payloadHash) {
        if (current == null) {
            return FIRST;
        }
        if (current.hasSeen(payloadHash)) {
            return DUPLICATE;
        }
        if (version != current.version()) {
            return version > current.version() ? NEWER_VERSION : STALE_VERSION;
        }
        if (timestamp != current.timestamp()) {
            return concurrent(timestamp > current.timestamp(), "timestamp");
        }
        return concurrent(payloadHash > current.payloadHash(), "payloadHash");
    }

    private static Decision concurrent(boolean incomingWins, String decidedBy) {
        return new Decision(false, incomingWins, ConflictRecord.CONCURRENT_UPDATE, decidedBy);
    }
}
