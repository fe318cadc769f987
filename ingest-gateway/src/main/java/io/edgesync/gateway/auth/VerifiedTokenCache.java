package io.edgesync.gateway.auth;

import io.edgesync.shared.auth.TokenClaims;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small least-recently-used map from a token whose signature was verified to its claims. */
final class VerifiedTokenCache {
    private final Map<String, TokenClaims> entries;

    VerifiedTokenCache(int maxEntries) {
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenClaims> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized TokenClaims get(String token) {
        return entries.get(token);
    }

    synchronized void put(String token, TokenClaims claims) {
        entries.put(token, claims);
    }
}
