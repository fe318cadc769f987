package io.edgesync.processor.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The headers a {@code telemetry.dlq} record carries (docs/topics.md); the same names as the
 * sink's dead letters, so one reader handles both.
 */
public final class DeadLetters {
    public static final String REASON = "dlq.reason";
    public static final String DETAIL = "dlq.detail";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String PARTITION = "dlq.source.partition";
    public static final String OFFSET = "dlq.source.offset";
    public static final String SERVICE = "dlq.service";
    public static final String THIS_SERVICE = "stream-processor";

    /**
     * The largest input record (key, value and headers) the processor copies into its outputs: half
     * the producers' 1 MiB request limit, so a clean, conflict or dead-letter record derived from it
     * always fits. Records the gateway writes are at most about 65 KiB.
     */
    public static final int MAX_INPUT_BYTES = 512 * 1024;

    private DeadLetters() {
    }

    /** Bytes of key, value and headers (names and values). */
    static int size(byte[] key, byte[] value, Headers headers) {
        long n = (key == null ? 0 : key.length) + (long) (value == null ? 0 : value.length);
        for (Header h : headers) {
            n += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /** The original headers followed by the reason and where the record came from. */
    public static Headers headers(Headers original, String reason, String message, RecordMetadata source) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : original) {
            headers.add(h);
        }
        headers.add(REASON, utf8(reason));
        headers.add(DETAIL, utf8(message));
        headers.add(SERVICE, utf8(THIS_SERVICE));
        if (source != null) {
            headers.add(SOURCE_TOPIC, utf8(source.topic()));
            headers.add(PARTITION, utf8(Integer.toString(source.partition())));
            headers.add(OFFSET, utf8(Long.toString(source.offset())));
        }
        return headers;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
