package io.edgesync.shared.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;

/**
 * Last-write-wins order between two versions of the same record, shared by the stream processor
 * and the sink so both decide every conflict the same way: higher {@code version}, then later
 * {@code timestamp}, then the larger payload hash (deterministic on every replay).
 */
public final class RecordOrdering {
    public static final Comparator<TelemetryRecord> LAST_WRITE_WINS = Comparator
            .comparingInt(TelemetryRecord::version)
            .thenComparingLong(TelemetryRecord::timestamp)
            .thenComparingLong(RecordOrdering::payloadHash);

    private RecordOrdering() {
    }

    /**
     * First 8 bytes of SHA-256 over the fields a device writes (not receivedAt or batchId), so a
     * resend of the same reading hashes the same.
     */
    public static long payloadHash(TelemetryRecord r) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String canonical = String.join("\u0000", r.sensorId(), Long.toString(r.timestamp()), r.dataType(),
                    Double.toString(r.value()), r.unit() == null ? "" : r.unit(),
                    r.metadata() == null ? "" : r.metadata().toString(), Integer.toString(r.version()));
            return ByteBuffer.wrap(digest.digest(canonical.getBytes(StandardCharsets.UTF_8))).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
