package io.edgesync.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** PKCS12 keystores made with the JDK's keytool for TLS tests: EC P-256 self-signed certificates. */
public final class TestKeystores {
    public static final String PASSWORD = "test-pass";

    private TestKeystores() {
    }

    /** A key pair and self-signed certificate named {@code CN=commonName}, valid for 127.0.0.1. */
    public static Path keyPair(Path dir, String alias, String commonName) {
        Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        return store;
    }

    /** A truststore holding the certificate of {@code alias} from {@code keystore}. */
    public static Path trusting(Path dir, Path keystore, String alias) {
        Path cert = dir.resolve(alias + ".cer");
        Path trust = dir.resolve(alias + "-trust.p12");
        keytool("-exportcert", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(), "-keystore", trust.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        return trust;
    }

    /** A truststore named {@code name} holding the certificates of every keystore (alias: its file name). */
    public static Path trustingAll(Path dir, String name, Path... keystores) {
        Path trust = dir.resolve(name + "-trust.p12");
        for (Path keystore : keystores) {
            String alias = keystore.getFileName().toString().replace(".p12", "");
            Path cert = dir.resolve(alias + ".cer");
            keytool("-exportcert", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                    "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(), "-keystore",
                    trust.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        return trust;
    }

    /** A client SSL context: {@code keystore} (may be null) as its identity, trusting {@code truststore}. */
    public static SSLContext clientContext(Path keystore, Path truststore) throws Exception {
        KeyManagerFactory kmf = null;
        if (keystore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keystore), PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(truststore));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** The certificate of {@code alias} in {@code keystore} as a PEM file (a CA bundle of one, or a client chain). */
    public static Path certificatePem(Path dir, Path keystore, String alias) {
        Path pem = dir.resolve(alias + ".crt.pem");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return pem;
    }

    /** The private key of {@code alias} in {@code keystore} as an unencrypted PKCS#8 PEM file. */
    public static Path privateKeyPem(Path dir, Path keystore, String alias) {
        Path pem = dir.resolve(alias + ".key.pem");
        try {
            java.security.Key key = load(keystore).getKey(alias, PASSWORD.toCharArray());
            String body = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.getEncoded());
            Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
            return pem;
        } catch (Exception e) {
            throw new IllegalStateException("cannot export the key of " + alias, e);
        }
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
