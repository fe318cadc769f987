package io.edgesync.sink.store;

import org.apache.kafka.common.header.Header;

/**
 * Where a row came from: the Kafka record, kept so that a row the database rejects can be sent to
 * {@code telemetry.dlq} exactly as it arrived, headers included.
 */
public record Origin(String topic, int partition, long offset, byte[] key, byte[] value, Header[] headers) {

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
