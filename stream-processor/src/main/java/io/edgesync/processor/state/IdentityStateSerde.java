package io.edgesync.processor.state;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of {@link IdentityState} for the state store and its changelog: a format
 * byte, the ordering fields, the seen hashes, then the winner's JSON. Comparing never parses JSON.
 */
public final class IdentityStateSerde implements Serde<IdentityState> {
    private static final byte FORMAT = 1;
    private static final int FIXED = 1 + 4 + 8 + 8 + 8 + 2;

    @Override
    public Serializer<IdentityState> serializer() {
        return (topic, s) -> {
            if (s == null) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate(FIXED + 8 * s.seenHashes().length + s.winnerJson().length);
            buf.put(FORMAT).putInt(s.version()).putLong(s.timestamp()).putLong(s.payloadHash())
                    .putLong(s.touchedAt()).putShort((short) s.seenHashes().length);
            for (long h : s.seenHashes()) {
                buf.putLong(h);
            }
            return buf.put(s.winnerJson()).array();
        };
    }

    @Override
    public Deserializer<IdentityState> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            if (bytes.length < FIXED || buf.get() != FORMAT) {
                throw new SerializationException("unknown identity state format in " + topic);
            }
            int version = buf.getInt();
            long timestamp = buf.getLong();
            long hash = buf.getLong();
            long touchedAt = buf.getLong();
            long[] seen = new long[buf.getShort()];
            for (int i = 0; i < seen.length; i++) {
                seen[i] = buf.getLong();
            }
            byte[] json = new byte[buf.remaining()];
            buf.get(json);
            return new IdentityState(version, timestamp, hash, touchedAt, seen, json);
        };
    }
}
