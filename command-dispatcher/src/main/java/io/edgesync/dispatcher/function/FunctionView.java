package io.edgesync.dispatcher.function;

/** A stored function version as the API shows it; {@code hash} is the SHA-256 of the bytes, lower-case hex. */
public record FunctionView(String id, String name, String version, String hash, long sizeBytes, String createdAt) {
}
