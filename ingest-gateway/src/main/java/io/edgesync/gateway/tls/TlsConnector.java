package io.edgesync.gateway.tls;

import io.edgesync.gateway.GatewayConfig;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS connector: TLS 1.3 only, PKCS12 keystore; with a truststore, clients must present a
 * certificate it trusts (mutual TLS), which handlers read from the request.
 */
public final class TlsConnector {
    private TlsConnector() {
    }

    public static Connector create(Server server, HttpConfiguration http, GatewayConfig.Tls tls, String host, int port) {
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
