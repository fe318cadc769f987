package io.edgesync.processor.errors;

import io.edgesync.processor.topology.DeadLetters;
import io.edgesync.processor.topology.RawRecords;
import io.edgesync.processor.topology.RecordOutcomes;
import io.edgesync.shared.kafka.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the producer refuses an output record for good (RecordTooLargeException, a serialization
 * error, ...) the stream thread carries on: a small record goes to {@code telemetry.dlq} instead,
 * with reason {@code production_error}, the exception's class, the refused record's topic, and the
 * input's topic, partition and offset (its value is not copied: it may be what was too large).
 * Retriable errors are retried. The topology already keeps its outputs far below the producer's
 * limit ({@link DeadLetters#MAX_INPUT_BYTES}); this is the net under it.
 */
public final class DeadLetteringProductionHandler implements ProductionExceptionHandler {
    /** Config key under which {@code StreamProcessor} passes the {@link RecordOutcomes} to count into. */
    public static final String OUTCOMES_CONFIG = "edgesync.record-outcomes";
    /** Config key of the topic dead letters go to (default {@code telemetry.dlq}; a replay's shadow DLQ). */
    public static final String DLQ_TOPIC_CONFIG = "edgesync.dlq-topic";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringProductionHandler.class);

    private RecordOutcomes outcomes;
    private String dlqTopic = Topics.TELEMETRY_DLQ.name();

    @Override
    public void configure(Map<String, ?> configs) {
        Object o = configs.get(OUTCOMES_CONFIG);
        outcomes = o instanceof RecordOutcomes r ? r : null;
        if (configs.get(DLQ_TOPIC_CONFIG) instanceof String topic) {
            dlqTopic = topic;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        return Response.resume(List.of(deadLetter(context, record.topic(), record.key(), exception)));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        return Response.resume(List.of(deadLetter(context, record.topic(), context.sourceRawKey(), exception)));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, String refusedTopic, Object key,
                                                      Exception exception) {
        String error = exception.getClass().getSimpleName();
        LOG.warn("event=output_dead_lettered reason={} error={} topic={} source_partition={} source_offset={}",
                RawRecords.PRODUCTION_ERROR, error, refusedTopic, context.partition(), context.offset());
        if (outcomes != null) {
            outcomes.deadLettered(RawRecords.PRODUCTION_ERROR);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetters.REASON, DeadLetters.utf8(RawRecords.PRODUCTION_ERROR));
        headers.add(DeadLetters.DETAIL, DeadLetters.utf8(error + " writing to " + refusedTopic));
        headers.add(DeadLetters.SERVICE, DeadLetters.utf8(DeadLetters.THIS_SERVICE));
        headers.add(DeadLetters.SOURCE_TOPIC, DeadLetters.utf8(String.valueOf(context.topic())));
        headers.add(DeadLetters.PARTITION, DeadLetters.utf8(Integer.toString(context.partition())));
        headers.add(DeadLetters.OFFSET, DeadLetters.utf8(Long.toString(context.offset())));
        byte[] rawKey = key instanceof byte[] b && b.length <= 1024 ? b : null;
        return new ProducerRecord<>(dlqTopic, null, rawKey, null, headers);
    }
}
