package io.edgesync.sink.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.common.header.Header;

/**
 * The archive of {@code telemetry.raw} in an S3-compatible bucket (docs/operations.md, "Archive").
 * One gzip JSON-lines object per partition, hour (of the Kafka timestamp, UTC) and flush:
 * {@code telemetry.raw/partition=<p>/hour=<yyyy-MM-ddTHH>/<first offset>-<last offset>.jsonl.gz} (offsets
 * zero-padded to 20 digits). Each line is one record, its bytes exact:
 * {@code {"partition", "offset", "timestamp", "key": base64|null, "value": base64|null, "headers": [[name, base64]]}}.
 * Objects may overlap after an archiver crash (at-least-once); readers keep one record per (partition, offset).
 */
public final class RawArchive {
    public static final String PREFIX = Topics.TELEMETRY_RAW.name() + "/";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    /** One archived record. */
    public record Entry(int partition, long offset, long timestamp, byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers) {
    }

    private final MinioClient client;
    private final String bucket;

    public RawArchive(String endpoint, String region, String bucket, String accessKey, String secretKey) {
        MinioClient.Builder b = MinioClient.builder().endpoint(endpoint).region(region);
        if (accessKey != null && !accessKey.isBlank()) {
            b.credentials(accessKey, secretKey);
        }
        this.client = b.build();
        this.bucket = bucket;
    }

    public static RawArchive of(ArchiveConfig c) {
        return new RawArchive(c.endpoint(), c.region(), c.bucket(), c.accessKey(), c.secretKey());
    }

    public void ensureBucket() {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (Exception e) {
            throw new IllegalStateException("archive: cannot reach bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    static String objectName(int partition, long timestamp, long first, long last) {
        return PREFIX + "partition=" + partition + "/hour=" + HOUR.format(Instant.ofEpochMilli(timestamp)) + "/"
                + String.format("%020d-%020d.jsonl.gz", first, last);
    }

    /** Writes records of one partition and one hour as one object. */
    void write(List<Entry> records) {
        Entry first = records.get(0);
        Entry last = records.get(records.size() - 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (Entry e : records) {
                gz.write(Json.toBytes(line(e)));
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = bytes.toByteArray();
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket)
                    .object(objectName(first.partition(), first.timestamp(), first.offset(), last.offset()))
                    .stream(new ByteArrayInputStream(body), body.length, -1).contentType("application/gzip").build());
        } catch (Exception e) {
            throw new IllegalStateException("archive: cannot write to bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every archived record whose hour overlaps [from, to) (null: unbounded), one per (partition, offset), in
     * partition then offset order. The caller filters by exact time.
     */
    public List<Entry> read(Instant from, Instant to) {
        Map<String, Entry> unique = new LinkedHashMap<>();
        Instant fromHour = from == null ? null : from.truncatedTo(ChronoUnit.HOURS);
        try {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(PREFIX)
                    .recursive(true).build())) {
                Item item = r.get();
                String name = item.objectName();
                int h = name.indexOf("/hour=");
                // stores with a filesystem backend list folders too
                if (h < 0 || item.isDir() || !name.endsWith(".jsonl.gz") || item.size() == 0) {
                    continue;
                }
                Instant hour = Instant.parse(name.substring(h + 6, h + 6 + 13) + ":00:00Z");
                if ((fromHour != null && hour.isBefore(fromHour)) || (to != null && !hour.isBefore(to))) {
                    continue;
                }
                try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(name).build());
                     BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                             StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        Entry e = entry(Json.mapper().readTree(line));
                        unique.putIfAbsent(e.partition() + ":" + e.offset(), e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("archive: cannot read bucket " + bucket, e);
        } catch (Exception e) {
            throw new IllegalStateException("archive: cannot read bucket " + bucket + ": " + e.getMessage(), e);
        }
        List<Entry> out = new ArrayList<>(unique.values());
        out.sort(Comparator.comparingInt(Entry::partition).thenComparingLong(Entry::offset));
        return out;
    }

    static Entry entry(int partition, long offset, long timestamp, byte[] key, byte[] value, Iterable<Header> headers) {
        List<Map.Entry<String, byte[]>> hs = new ArrayList<>();
        headers.forEach(h -> hs.add(Map.entry(h.key(), h.value() == null ? new byte[0] : h.value())));
        return new Entry(partition, offset, timestamp, key, value, hs);
    }

    private static ObjectNode line(Entry e) {
        Base64.Encoder b64 = Base64.getEncoder();
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("partition", e.partition()).put("offset", e.offset()).put("timestamp", e.timestamp());
        n.put("key", e.key() == null ? null : b64.encodeToString(e.key()));
        n.put("value", e.value() == null ? null : b64.encodeToString(e.value()));
        ArrayNode headers = n.putArray("headers");
        for (Map.Entry<String, byte[]> h : e.headers()) {
            headers.addArray().add(h.getKey()).add(b64.encodeToString(h.getValue()));
        }
        return n;
    }

    private static Entry entry(JsonNode n) {
        Base64.Decoder b64 = Base64.getDecoder();
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        for (JsonNode h : n.path("headers")) {
            headers.add(Map.entry(h.get(0).asText(), b64.decode(h.get(1).asText())));
        }
        return new Entry(n.path("partition").asInt(), n.path("offset").asLong(), n.path("timestamp").asLong(),
                n.path("key").isNull() ? null : b64.decode(n.path("key").asText()),
                n.path("value").isNull() ? null : b64.decode(n.path("value").asText()), headers);
    }

    /** Groups one partition's records (in offset order) into runs of one hour each. */
    static List<List<Entry>> byHour(List<Entry> records) {
        List<List<Entry>> out = new ArrayList<>();
        List<Entry> run = new ArrayList<>();
        String hour = null;
        for (Entry e : records) {
            String h = HOUR.format(Instant.ofEpochMilli(e.timestamp()));
            if (hour != null && !h.equals(hour)) {
                out.add(run);
                run = new ArrayList<>();
            }
            hour = h;
            run.add(e);
        }
        if (!run.isEmpty()) {
            out.add(run);
        }
        return out;
    }
}
