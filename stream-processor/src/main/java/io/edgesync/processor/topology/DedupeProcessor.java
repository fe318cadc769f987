package io.edgesync.processor.topology;

import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a record only if it beats the current winner for its (deviceId, id) in last-write-wins
 * order; a resend of the same record, or an older version, is dropped.
 */
final class DedupeProcessor implements Processor<String, byte[], String, TelemetryRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(DedupeProcessor.class);

    private ProcessorContext<String, TelemetryRecord> context;
    private KeyValueStore<String, String> winners;

    @Override
    public void init(ProcessorContext<String, TelemetryRecord> context) {
        this.context = context;
        this.winners = context.getStateStore(TelemetryTopology.WINNERS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> input) {
        TelemetryRecord incoming;
        try {
            incoming = TelemetryTopology.decode(input.value());
        } catch (SerializationException e) {
            LOG.warn("event=undecodable_record key={}", input.key());
            return;
        }
        if (incoming == null || incoming.id() == null || incoming.deviceId() == null) {
            return;
        }
        String identity = incoming.identity();
        String current = winners.get(identity);
        String candidate = WinnerKey.of(incoming);
        if (current != null && WinnerKey.compare(candidate, current) <= 0) {
            return;
        }
        winners.put(identity, candidate);
        context.forward(input.withKey(incoming.deviceId()).withValue(incoming));
    }

    /** The ordering fields of a winner, stored compactly: version, timestamp, payload hash. */
    static final class WinnerKey {
        private WinnerKey() {
        }

        static String of(TelemetryRecord r) {
            return r.version() + ":" + r.timestamp() + ":" + RecordOrdering.payloadHash(r);
        }

        static int compare(String a, String b) {
            String[] x = a.split(":");
            String[] y = b.split(":");
            for (int i = 0; i < 3; i++) {
                int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
    }
}
