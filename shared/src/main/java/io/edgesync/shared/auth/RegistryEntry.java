package io.edgesync.shared.auth;

/**
 * The value of topic {@code device.registry} (key: deviceId), written by the dispatcher on every
 * token issue, rotation and revocation. The latest entry of a device decides which of its tokens
 * the gateway accepts: see {@link #permits(TokenClaims)}. A deleted device is a tombstone (null value).
 * Every change of a device's registry state bumps its token version, so a reader keeps an entry only
 * when it is {@linkplain #isNewerThan newer} than the one it holds: reordering cannot resurrect a
 * revoked device.
 *
 * @param status       {@code active} or {@code revoked}
 * @param tokenVersion the version of the device's current token (active), or of the last revoked one
 */
public record RegistryEntry(String deviceId, String status, long tokenVersion, long updatedAt) {
    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";

    /**
     * An older token than the current one is refused (rotation); a revoked device refuses every
     * token up to the revoked version. A token newer than the entry is accepted: the dispatcher
     * issued it after this entry, and its own entry is on the way.
     */
    public boolean permits(TokenClaims claims) {
        if (REVOKED.equals(status)) {
            return claims.tokenVersion() > tokenVersion;
        }
        return claims.tokenVersion() >= tokenVersion;
    }

    /** Newer: a higher token version, or the same version written later. */
    public boolean isNewerThan(RegistryEntry other) {
        if (other == null) {
            return true;
        }
        if (tokenVersion != other.tokenVersion) {
            return tokenVersion > other.tokenVersion;
        }
        return updatedAt > other.updatedAt;
    }
}
