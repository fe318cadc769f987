package io.edgesync.processor.topology;

/**
 * Which input records the telemetry topology decides: all of them live; a replay's window
 * (partition offsets, a time range, devices) otherwise. Records it refuses are skipped unseen.
 */
@FunctionalInterface
public interface RecordFilter {
    RecordFilter ALL = (partition, offset, timestamp, key) -> true;

    /**
     * @param timestamp the record's Kafka timestamp (for telemetry.raw: when the gateway produced it)
     * @param key       the record key as read (the device id in UTF-8), possibly null
     */
    boolean admits(int partition, long offset, long timestamp, byte[] key);
}
