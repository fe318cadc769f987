package io.edgesync.sink.dlq;

import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.sink.store.Origin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records the sink cannot store to {@code telemetry.dlq}: key, value and headers exactly as
 * consumed, then the reason in {@code dlq.*} headers. {@link #send} returns only once the broker has the record (acks=all), so
 * the source offset may then be committed.
 */
public final class DeadLetters implements AutoCloseable {
    public static final String HEADER_REASON = "dlq.reason";
    public static final String HEADER_SQLSTATE = "dlq.sqlstate";
    public static final String HEADER_DETAIL = "dlq.detail";
    public static final String HEADER_SOURCE_TOPIC = "dlq.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "dlq.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "dlq.source.offset";
    public static final String HEADER_SERVICE = "dlq.service";

    /** Why a record went to the DLQ (header {@value #HEADER_REASON}). */
    public enum Reason {
        /** The value is not JSON of the topic's schema. */
        UNDECODABLE("undecodable"),
        /** Decoded but missing a required field. */
        INVALID_RECORD("invalid_record"),
        /** A table row for a table that is not registered in sync_tables. */
        UNKNOWN_TABLE("unknown_table"),
        /** The database refused the row (SQLSTATE class 22 or 23, in {@value #HEADER_SQLSTATE}). */
        DB_REJECTED("db_rejected");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** One record bound for the DLQ. */
    public record Letter(Origin origin, Reason reason, String sqlState, String detail) {
        public Letter {
            Objects.requireNonNull(origin);
            Objects.requireNonNull(reason);
        }
    }

    private final KafkaProducer<byte[], byte[]> producer;

    public DeadLetters(KafkaClients kafka) {
        this.producer = new KafkaProducer<>(kafka.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "cockroach-sink-dlq")),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The DLQ producer's meters ({@code kafka_producer_*}, tag {@code stage="sink"}); closed with this. */
    public KafkaClientMetrics meters() {
        return new KafkaClientMetrics(producer, Tags.of("stage", "sink"));
    }

    /** Sends every letter and waits for the broker to acknowledge all of them. */
    public void send(List<Letter> letters) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(letters.size());
        for (Letter l : letters) {
            acks.add(producer.send(record(l)));
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new KafkaException("cannot write to " + Topics.TELEMETRY_DLQ.name(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted writing to " + Topics.TELEMETRY_DLQ.name(), e);
            }
        }
    }

    static ProducerRecord<byte[], byte[]> record(Letter l) {
        RecordHeaders headers = new RecordHeaders(l.origin().headers());
        headers.add(HEADER_REASON, utf8(l.reason().code()));
        if (l.sqlState() != null) {
            headers.add(HEADER_SQLSTATE, utf8(l.sqlState()));
        }
        if (l.detail() != null) {
            headers.add(HEADER_DETAIL, utf8(l.detail().length() > 500 ? l.detail().substring(0, 500) : l.detail()));
        }
        headers.add(HEADER_SOURCE_TOPIC, utf8(l.origin().topic()));
        headers.add(HEADER_SOURCE_PARTITION, utf8(Integer.toString(l.origin().partition())));
        headers.add(HEADER_SOURCE_OFFSET, utf8(Long.toString(l.origin().offset())));
        headers.add(HEADER_SERVICE, utf8("cockroach-sink"));
        return new ProducerRecord<>(Topics.TELEMETRY_DLQ.name(), null, l.origin().key(), l.origin().value(), headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
