package io.edgesync.processor.state;

import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.TelemetryRecord;
import java.util.Arrays;

/**
 * What the processor remembers about one record identity (deviceId, id): the current winner's
 * ordering fields (version, timestamp, payload hash), the winner itself as written to
 * {@code telemetry.clean} (for conflict records), the payload hashes of earlier winners and losers
 * (so a resend of any record already decided is a duplicate, and a replay produces nothing new), and
 * the stream time it was last touched (for retention).
 *
 * @param seenHashes   hashes of records decided before, other than the winner; oldest first, at most
 *                     {@link #MAX_SEEN}
 * @param winnerJson   the winner, serialised as on {@code telemetry.clean}
 * @param touchedAt    Kafka timestamp of the last record of this identity, epoch ms
 */
public record IdentityState(int version, long timestamp, long payloadHash, long touchedAt, long[] seenHashes,
                            byte[] winnerJson) {
    /** Earlier versions remembered per identity; older ones are forgotten first. */
    public static final int MAX_SEEN = 16;

    public static IdentityState first(TelemetryRecord winner, long hash, byte[] json, long touchedAt) {
        return new IdentityState(winner.version(), winner.timestamp(), hash, touchedAt, new long[0], json);
    }

    /** A new winner replaces this one; the old winner's hash is remembered as seen. */
    public IdentityState replacedBy(TelemetryRecord winner, long hash, byte[] json, long at) {
        return new IdentityState(winner.version(), winner.timestamp(), hash, Math.max(touchedAt, at),
                appendSeen(payloadHash), json);
    }

    /** A loser was decided against this winner; its hash is remembered. */
    public IdentityState withLoser(long loserHash, long at) {
        return new IdentityState(version, timestamp, payloadHash, Math.max(touchedAt, at), appendSeen(loserHash),
                winnerJson);
    }

    public IdentityState touched(long at) {
        return at <= touchedAt ? this
                : new IdentityState(version, timestamp, payloadHash, at, seenHashes, winnerJson);
    }

    /** True when a record with this payload hash was decided before (the winner or an earlier one). */
    public boolean hasSeen(long hash) {
        if (hash == payloadHash) {
            return true;
        }
        for (long h : seenHashes) {
            if (h == hash) {
                return true;
            }
        }
        return false;
    }

    public boolean expired(long streamTime, long retentionMs) {
        return streamTime - touchedAt > retentionMs;
    }

    public TelemetryRecord winner() {
        return Json.fromBytes(winnerJson, TelemetryRecord.class);
    }

    private long[] appendSeen(long hash) {
        if (hasSeenOther(hash)) {
            return seenHashes;
        }
        int keep = Math.min(seenHashes.length, MAX_SEEN - 1);
        long[] next = Arrays.copyOfRange(seenHashes, seenHashes.length - keep, seenHashes.length + 1);
        next[keep] = hash;
        return next;
    }

    private boolean hasSeenOther(long hash) {
        for (long h : seenHashes) {
            if (h == hash) {
                return true;
            }
        }
        return false;
    }
}
