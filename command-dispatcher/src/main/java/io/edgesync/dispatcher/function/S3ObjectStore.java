package io.edgesync.dispatcher.function;

import io.minio.BucketExistsArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.http.Method;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link ObjectStore} on any S3-compatible server through the MinIO client. Signed URLs are made by a
 * second client on the public endpoint (signing is local: no request), so devices get a host they
 * reach. The bucket is created on first use, so a dispatcher starts while the store is still down.
 */
public final class S3ObjectStore implements ObjectStore {
    private final MinioClient client;
    private final MinioClient signer;
    private final String bucket;
    private volatile boolean bucketReady;

    public S3ObjectStore(StorageConfig config) {
        Objects.requireNonNull(config);
        this.client = client(config.endpoint(), config);
        this.signer = client(config.publicEndpoint(), config);
        this.bucket = config.bucket();
    }

    /** Without both keys the client sends unsigned requests (a store that allows anonymous access). */
    private static MinioClient client(String endpoint, StorageConfig config) {
        MinioClient.Builder b = MinioClient.builder().endpoint(endpoint).region(config.region());
        if (!config.accessKey().isEmpty() && !config.secretKey().isEmpty()) {
            b.credentials(config.accessKey(), config.secretKey());
        }
        return b.build();
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) throws StorageException {
        try {
            ensureBucket();
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType(contentType).build());
        } catch (Exception e) {
            throw new StorageException("cannot store " + key, e);
        }
    }

    @Override
    public String signedGetUrl(String key, Duration ttl) throws StorageException {
        try {
            return signer.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET).bucket(bucket)
                    .object(key).expiry((int) ttl.toSeconds()).build());
        } catch (Exception e) {
            throw new StorageException("cannot sign a URL for " + key, e);
        }
    }

    @Override
    public void delete(String key) throws StorageException {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw new StorageException("cannot delete " + key, e);
        }
    }

    private void ensureBucket() throws Exception {
        if (bucketReady) {
            return;
        }
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            try {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            } catch (io.minio.errors.ErrorResponseException e) {
                String code = e.errorResponse().code();
                if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                    throw e;
                }
            }
        }
        bucketReady = true;
    }
}
