package io.edgesync.dispatcher.device;

/** Answer of registration and rotation: the token is shown once and never stored. */
public record IssuedToken(String deviceId, String token, String expiresAt, long tokenVersion) {
}
