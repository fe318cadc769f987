package io.edgesync.agent.tls;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP clients of one agent: one for the gateway and one for the dispatcher, both with
 * {@link AgentTls} applied, and one for downloads from the object store (signed URLs), which trusts
 * the JDK's authorities and the CA bundle.
 */
public record AgentHttp(HttpClient gateway, HttpClient dispatcher, HttpClient downloads) {
    private static final char[] KEY_PASSWORD = "in-memory".toCharArray(); // the key store never leaves memory

    public AgentHttp {
        Objects.requireNonNull(gateway);
        Objects.requireNonNull(dispatcher);
        Objects.requireNonNull(downloads);
    }

    /** The same client for everything (tests and simulated fleets hand one in). */
    public static AgentHttp same(HttpClient http) {
        return new AgentHttp(http, http, http);
    }

    public static AgentHttp from(AgentTls tls, Duration connectTimeout) {
        if (!tls.configured()) {
            return same(builder(connectTimeout).build());
        }
        SSLContext services = context(tls, false);
        HttpClient client = builder(connectTimeout).sslContext(services).build();
        HttpClient downloads = tls.caBundle() == null ? builder(connectTimeout).build()
                : builder(connectTimeout).sslContext(context(tls, true)).build();
        return new AgentHttp(client, client, downloads);
    }

    private static HttpClient.Builder builder(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout);
    }

    /** @param withJdkAuthorities trust the JDK's authorities besides the bundle */
    static SSLContext context(AgentTls tls, boolean withJdkAuthorities) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(tls.caBundle() == null ? null : trustStore(tls, withJdkAuthorities));
            KeyManagerFactory keys = null;
            if (tls.clientCertificate() != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity(tls), KEY_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(AgentTls tls, boolean withJdkAuthorities)
            throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int n = 0;
        for (X509Certificate ca : PemFiles.certificates(tls.caBundle(), AgentTls.CA_BUNDLE.key())) {
            store.setCertificateEntry("bundle-" + n++, ca);
        }
        if (withJdkAuthorities) {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            for (var manager : jdk.getTrustManagers()) {
                if (manager instanceof javax.net.ssl.X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + n++, ca);
                    }
                }
            }
        }
        return store;
    }

    private static KeyStore identity(AgentTls tls) throws GeneralSecurityException, java.io.IOException {
        List<X509Certificate> chain = PemFiles.certificates(tls.clientCertificate(),
                AgentTls.CLIENT_CERTIFICATE.key());
        PrivateKey key = PemFiles.privateKey(tls.clientKey(), AgentTls.CLIENT_KEY.key());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("device", key, KEY_PASSWORD, chain.toArray(new X509Certificate[0]));
        return store;
    }
}
