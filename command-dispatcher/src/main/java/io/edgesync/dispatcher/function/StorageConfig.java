package io.edgesync.dispatcher.function;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * Object storage of function artifacts (any S3-compatible store: MinIO, S3, the embedded S3Proxy) and
 * the limits of the artifact API. Part of the dispatcher's configuration.
 */
public record StorageConfig(String endpoint, String publicEndpoint, String region, String bucket, String accessKey,
                            String secretKey, long maxFunctionBytes, Duration downloadUrlTtl) {

    public static final Setting<String> ENDPOINT = Setting.string("storage.s3.endpoint", "http://127.0.0.1:9000",
            "S3-compatible endpoint the dispatcher stores function artifacts in (MinIO, S3, S3Proxy).");
    public static final Setting<String> PUBLIC_ENDPOINT = Setting.string("storage.s3.public-endpoint", "",
            "Endpoint devices reach the store at, used in signed download URLs; empty: storage.s3.endpoint.");
    public static final Setting<String> REGION = Setting.string("storage.s3.region", "us-east-1",
            "Region used to sign requests.");
    public static final Setting<String> BUCKET = Setting.string("storage.s3.bucket", "edgesync",
            "Bucket holding wasm-functions/{name}/{version}/function.wasm; created when missing.");
    public static final Setting<String> ACCESS_KEY = Setting.secret("storage.s3.access-key", "",
            "Access key of the object store.");
    public static final Setting<String> SECRET_KEY = Setting.secret("storage.s3.secret-key", "",
            "Secret key of the object store.");
    public static final Setting<Long> MAX_FUNCTION_BYTES = Setting.longValue("functions.max-size-bytes",
            16L * 1024 * 1024, 1, "Largest .wasm module an upload may carry; more is 413.");
    public static final Setting<Duration> DOWNLOAD_URL_TTL = Setting.duration("functions.download-url-ttl", "15m",
            "How long a signed download URL stays valid (at most 7d, the SigV4 limit).");

    public static final List<Setting<?>> SETTINGS = List.of(ENDPOINT, PUBLIC_ENDPOINT, REGION, BUCKET, ACCESS_KEY,
            SECRET_KEY, MAX_FUNCTION_BYTES, DOWNLOAD_URL_TTL);

    public static StorageConfig from(ConfigSource source) {
        Duration ttl = source.get(DOWNLOAD_URL_TTL);
        if (ttl.toSeconds() < 1 || ttl.compareTo(Duration.ofDays(7)) > 0) {
            throw new ConfigException("invalid key " + DOWNLOAD_URL_TTL.key() + ": " + ttl
                    + "; accepted: a duration from 1s to 7d");
        }
        String pub = source.get(PUBLIC_ENDPOINT);
        return new StorageConfig(source.get(ENDPOINT), pub == null || pub.isBlank() ? source.get(ENDPOINT) : pub,
                source.get(REGION), source.get(BUCKET), source.get(ACCESS_KEY), source.get(SECRET_KEY),
                source.get(MAX_FUNCTION_BYTES), ttl);
    }
}
