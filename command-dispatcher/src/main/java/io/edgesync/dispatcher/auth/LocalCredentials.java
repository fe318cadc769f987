package io.edgesync.dispatcher.auth;

import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.files.SecretFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * Credentials of {@code edgesync local} and {@code demo}, generated once per data directory and
 * reused after a restart: the dispatcher's signing key (JWK), its public half for the gateway, an
 * operator token and a fleet enrollment key. In production these come from configuration. The
 * signing key and the secrets file are owner-only from their first byte.
 */
public record LocalCredentials(Path signingKeyFile, Path publicKeyFile, String operatorToken, String enrollmentKey) {
    private static final String SECRETS = "secrets.properties";

    public static LocalCredentials loadOrCreate(Path dataDir) {
        Path dir = dataDir.resolve("credentials");
        Path signing = dir.resolve("signing-key.jwk");
        Path publicKey = dir.resolve("public-key.jwk");
        Path secrets = dir.resolve(SECRETS);
        try {
            Files.createDirectories(dir);
            if (!Files.isRegularFile(signing) || !Files.isRegularFile(publicKey) || !Files.isRegularFile(secrets)) {
                var key = Tokens.generateKey();
                Tokens.writeKey(key, signing);
                Tokens.writeKey(key.toPublicJWK(), publicKey);
                Properties p = new Properties();
                p.setProperty("operator-token", "edgesync-op-" + random());
                p.setProperty("enrollment-key", "edgesync-enroll-" + random());
                StringWriter w = new StringWriter();
                p.store(w, "EdgeSync local credentials");
                SecretFiles.write(secrets, w.toString().getBytes(StandardCharsets.UTF_8));
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(secrets)) {
                p.load(r);
            }
            return new LocalCredentials(signing, publicKey, p.getProperty("operator-token"),
                    p.getProperty("enrollment-key"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create credentials in " + dir, e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
