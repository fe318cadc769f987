package io.edgesync.sink.store;

/**
 * Where a row came from: the Kafka record, kept so that a row the database rejects can be sent to
 * {@code telemetry.dlq} exactly as it arrived.
 */
public record Origin(String topic, int partition, long offset, byte[] key, byte[] value) {
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
