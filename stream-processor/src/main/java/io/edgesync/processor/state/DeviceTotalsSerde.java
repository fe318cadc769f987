package io.edgesync.processor.state;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Fixed-size binary form of {@link DeviceTotals}: five longs. */
public final class DeviceTotalsSerde implements Serde<DeviceTotals> {
    private static final int SIZE = 5 * 8;

    @Override
    public Serializer<DeviceTotals> serializer() {
        return (topic, t) -> t == null ? null : ByteBuffer.allocate(SIZE).putLong(t.recordsAccepted())
                .putLong(t.duplicatesDropped()).putLong(t.conflicts()).putLong(t.lastRecordAt())
                .putLong(t.lastReceivedAt()).array();
    }

    @Override
    public Deserializer<DeviceTotals> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != SIZE) {
                throw new SerializationException("unknown device totals format in " + topic);
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            return new DeviceTotals(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
        };
    }
}
