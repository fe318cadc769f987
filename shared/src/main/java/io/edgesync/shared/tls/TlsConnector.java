package io.edgesync.shared.tls;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS connector of the gateway and the dispatcher: TLS 1.3 only, PKCS12 keystore; with a
 * truststore, clients must present a certificate it trusts (mutual TLS), which handlers read from the
 * request ({@link ClientCertificates}).
 */
public final class TlsConnector {
    private TlsConnector() {
    }

    /** Adds the HTTPS connector when {@code tls} is enabled; otherwise the server stays plain HTTP. */
    public static void install(JavalinConfig config, TlsSettings tls, String host, int port) {
        if (tls.enabled()) {
            config.jetty.addConnector((server, http) -> create(server, http, tls, host, port));
        }
    }

    /** Starts on the HTTPS connector {@link #install} added, or on plain HTTP at host:port. */
    public static void start(Javalin app, TlsSettings tls, String host, int port) {
        if (tls.enabled()) {
            app.start();
        } else {
            app.start(host, port);
        }
    }

    public static Connector create(Server server, HttpConfiguration http, TlsSettings tls, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keystore().toAbsolutePath().toString());
        ssl.setKeyStorePassword(tls.keystorePassword());
        ssl.setKeyStoreType("PKCS12");
        ssl.setIncludeProtocols("TLSv1.3");
        if (tls.mutual()) {
            ssl.setTrustStorePath(tls.truststore().toAbsolutePath().toString());
            ssl.setTrustStorePassword(tls.truststorePassword());
            ssl.setTrustStoreType("PKCS12");
            ssl.setNeedClientAuth(true);
        }
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // devices connect by address; the certificate names the service
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
