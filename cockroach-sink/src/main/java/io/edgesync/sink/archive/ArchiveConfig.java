package io.edgesync.sink.archive;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import io.edgesync.shared.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;

/** The raw archiver ({@code edgesync serve archiver}): where {@code telemetry.raw} is archived, and how often. */
public record ArchiveConfig(KafkaClients kafka, String groupId, String endpoint, String region, String bucket,
                            String accessKey, String secretKey, int maxRecords, Duration flushInterval) {
    public static final Setting<String> KAFKA = Setting.string("kafka.bootstrap-servers", "127.0.0.1:9092",
            "Kafka bootstrap servers.");
    public static final Setting<String> GROUP_ID = Setting.string("archive.group-id", "edgesync-raw-archive",
            "Consumer group of the archiver; its committed offsets are what is archived.");
    public static final Setting<String> ENDPOINT = Setting.string("archive.s3.endpoint", "http://127.0.0.1:9000",
            "S3-compatible endpoint of the archive (MinIO, S3, S3Proxy).");
    public static final Setting<String> REGION = Setting.string("archive.s3.region", "us-east-1",
            "Region used to sign requests.");
    public static final Setting<String> BUCKET = Setting.string("archive.s3.bucket", "edgesync-archive",
            "Bucket of the archive (objects under telemetry.raw/); created when missing.");
    public static final Setting<String> ACCESS_KEY = Setting.secret("archive.s3.access-key", "",
            "Access key of the archive's object store.");
    public static final Setting<String> SECRET_KEY = Setting.secret("archive.s3.secret-key", "",
            "Secret key of the archive's object store.");
    public static final Setting<Integer> MAX_RECORDS = Setting.integer("archive.max-records", 50_000, 1, 10_000_000,
            "Records buffered before the archiver writes its objects and commits.");
    public static final Setting<Duration> FLUSH_INTERVAL = Setting.duration("archive.flush-interval", "60s",
            "Longest time a record waits in the archiver's buffer before it is written to the store.");

    public static final List<Setting<?>> SETTINGS = List.of(KAFKA, KafkaClients.PROPERTIES, GROUP_ID, ENDPOINT, REGION,
            BUCKET, ACCESS_KEY, SECRET_KEY, MAX_RECORDS, FLUSH_INTERVAL);

    public static ArchiveConfig from(ConfigSource source) {
        return new ArchiveConfig(KafkaClients.from(source, source.get(KAFKA)), source.get(GROUP_ID), source.get(ENDPOINT), source.get(REGION),
                source.get(BUCKET), source.get(ACCESS_KEY), source.get(SECRET_KEY), source.get(MAX_RECORDS),
                source.get(FLUSH_INTERVAL));
    }
}
