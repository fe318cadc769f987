package io.edgesync.processor.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Forwards the records a {@link RecordFilter} admits, unchanged. */
final class FilterProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final RecordFilter filter;
    private ProcessorContext<byte[], byte[]> context;

    FilterProcessor(RecordFilter filter) {
        this.filter = filter;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        if (source != null && filter.admits(source.partition(), source.offset(), in.timestamp(), in.key())) {
            context.forward(in);
        }
    }
}
