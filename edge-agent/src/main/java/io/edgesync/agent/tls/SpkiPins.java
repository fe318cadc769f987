package io.edgesync.agent.tls;

import io.edgesync.shared.config.ConfigException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Certificate pins of one endpoint: SHA-256 of a certificate's SubjectPublicKeyInfo, written
 * {@code sha256/<base64>} as in HPKP (RFC 7469) and OkHttp. A chain matches when any of its
 * certificates carries a pinned key. Pinning needs at least two distinct pins (the key in use and a
 * backup), so rotating a server key does not cut the fleet off.
 */
public record SpkiPins(Set<String> pins) {
    public static final SpkiPins NONE = new SpkiPins(Set.of());
    private static final String PREFIX = "sha256/";

    public SpkiPins {
        pins = Set.copyOf(pins);
    }

    public boolean enabled() {
        return !pins.isEmpty();
    }

    /** Parses a comma-separated list; empty means no pinning. Fails start-up naming {@code key}. */
    public static SpkiPins parse(String value, String key) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        Set<String> pins = new LinkedHashSet<>();
        for (String raw : value.split(",")) {
            String pin = raw.trim();
            if (pin.isEmpty()) {
                continue;
            }
            String b64 = pin.startsWith(PREFIX) ? pin.substring(PREFIX.length()) : pin;
            byte[] hash;
            try {
                hash = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                hash = new byte[0];
            }
            if (hash.length != 32) {
                throw new ConfigException("invalid key " + key + ": '" + pin + "'; accepted: sha256/<base64 of the "
                        + "32-byte SHA-256 of the certificate's SubjectPublicKeyInfo>, comma-separated");
            }
            pins.add(PREFIX + Base64.getEncoder().encodeToString(hash));
        }
        if (pins.size() < 2) {
            throw new ConfigException("invalid key " + key + ": " + pins.size() + " distinct pin(s); accepted: at "
                    + "least two (the key in use and a backup key), so a key rotation does not cut devices off");
        }
        return new SpkiPins(pins);
    }

    /** The pin of a certificate: {@code sha256/} and the base64 SHA-256 of its SubjectPublicKeyInfo. */
    public static String of(X509Certificate certificate) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return PREFIX + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when any certificate of the chain carries a pinned key. */
    public boolean matches(X509Certificate[] chain) {
        for (X509Certificate c : chain) {
            if (pins.contains(of(c))) {
                return true;
            }
        }
        return false;
    }

    /** The pins the chain presented, for the refusal message. */
    public static List<String> presented(X509Certificate[] chain) {
        List<String> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            out.add(of(c));
        }
        return out;
    }
}
