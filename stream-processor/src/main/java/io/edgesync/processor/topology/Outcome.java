package io.edgesync.processor.topology;

import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the dedupe processor emits, each kind with its topic and wire form, so one sink writes them
 * all (a record passes through two topology nodes, not five).
 */
sealed interface Outcome {
    String topic();

    byte[] value();

    /** A winner, already serialised as it is written to {@code telemetry.clean}. */
    record Clean(byte[] json) implements Outcome {
        @Override
        public String topic() {
            return Topics.TELEMETRY_CLEAN.name();
        }

        @Override
        public byte[] value() {
            return json;
        }
    }

    record Conflict(ConflictRecord conflict) implements Outcome {
        private static final Serializer<ConflictRecord> SERIALIZER = Topics.TELEMETRY_CONFLICTS.valueSerde()
                .serializer();

        @Override
        public String topic() {
            return Topics.TELEMETRY_CONFLICTS.name();
        }

        @Override
        public byte[] value() {
            return SERIALIZER.serialize(topic(), conflict);
        }
    }

    record Stats(DeviceSyncStats stats) implements Outcome {
        private static final Serializer<DeviceSyncStats> SERIALIZER = Topics.DEVICE_SYNC_STATS.valueSerde()
                .serializer();

        @Override
        public String topic() {
            return Topics.DEVICE_SYNC_STATS.name();
        }

        @Override
        public byte[] value() {
            return SERIALIZER.serialize(topic(), stats);
        }
    }

    /** A record that cannot be processed, exactly as received; the reason is in the headers. */
    record DeadLetter(byte[] raw) implements Outcome {
        @Override
        public String topic() {
            return Topics.TELEMETRY_DLQ.name();
        }

        @Override
        public byte[] value() {
            return raw;
        }
    }

    /** Writes an outcome in its wire form; outcomes are never read back. */
    final class WireSerde implements Serde<Outcome> {
        @Override
        public Serializer<Outcome> serializer() {
            return (topic, outcome) -> outcome == null ? null : outcome.value();
        }

        @Override
        public Deserializer<Outcome> deserializer() {
            return (topic, bytes) -> {
                throw new UnsupportedOperationException("outcomes are only written");
            };
        }
    }
}
