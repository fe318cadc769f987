package io.edgesync.processor.tables;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the processor remembers of one (host, table, key): the version that won, the hash of its
 * values, and when (stream time) it was last seen.
 */
record RowState(long version, long valuesHash, long touchedAt) {

    boolean expired(long streamTime, long retentionMs) {
        return streamTime - touchedAt > retentionMs;
    }

    /** 24 bytes: version, hash, touchedAt. */
    static final class WireSerde implements Serde<RowState> {
        private static final int SIZE = 24;

        @Override
        public Serializer<RowState> serializer() {
            return (topic, s) -> s == null ? null
                    : ByteBuffer.allocate(SIZE).putLong(s.version()).putLong(s.valuesHash()).putLong(s.touchedAt()).array();
        }

        @Override
        public Deserializer<RowState> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length != SIZE) {
                    throw new SerializationException("unknown row state format in " + topic);
                }
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                return new RowState(buf.getLong(), buf.getLong(), buf.getLong());
            };
        }
    }
}
