package io.edgesync.dispatcher.function;

import java.time.Duration;

/** Where artifact bytes live: put, a signed GET URL for devices, delete. Implemented by {@link S3ObjectStore}. */
public interface ObjectStore {
    void put(String key, byte[] bytes, String contentType) throws StorageException;

    String signedGetUrl(String key, Duration ttl) throws StorageException;

    void delete(String key) throws StorageException;

    /** The store could not be reached or refused a request. */
    final class StorageException extends Exception {
        public StorageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
