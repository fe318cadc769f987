package io.edgesync.shared.model;

/** Why one record of a batch was refused. {@code id} is null when the record had none. */
public record Rejection(int index, String id, String code, String message) {
}
