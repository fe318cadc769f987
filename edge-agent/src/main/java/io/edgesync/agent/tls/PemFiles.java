package io.edgesync.agent.tls;

import io.edgesync.shared.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates (the JDK's {@link CertificateFactory} parses them) and PKCS#8 private keys
 * (base64 between the BEGIN/END PRIVATE KEY lines; EC or RSA). An unreadable file fails start-up
 * with a message naming the setting.
 */
public final class PemFiles {
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemFiles() {
    }

    public static List<X509Certificate> certificates(Path file, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new ConfigException("invalid key " + key + ": " + file + " holds no certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("invalid key " + key + ": " + file + " is not a PEM certificate file ("
                    + e.getMessage() + ")");
        }
    }

    public static PrivateKey privateKey(Path file, String key) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException("invalid key " + key + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw new ConfigException("invalid key " + key + ": " + file + " holds no BEGIN PRIVATE KEY block; "
                    + "accepted: an unencrypted PKCS#8 PEM key (openssl pkcs8 -topk8 -nocrypt converts one)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new ConfigException("invalid key " + key + ": " + file + " is neither an EC nor an RSA PKCS#8 key");
    }
}
