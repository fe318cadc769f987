package io.edgesync.agent.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server's chain as the JDK does (authorities, validity, host name with the HTTP client)
 * and then that it carries one of the endpoint's pinned keys; a chain outside the pins fails the
 * handshake, whatever authority signed it. Client chains are not this agent's concern.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final SpkiPins pins;
    private final String setting;

    PinningTrustManager(X509ExtendedTrustManager delegate, SpkiPins pins, String setting) {
        this.delegate = Objects.requireNonNull(delegate);
        this.pins = Objects.requireNonNull(pins);
        this.setting = Objects.requireNonNull(setting);
    }

    private void pinned(X509Certificate[] chain) throws CertificateException {
        if (!pins.matches(chain)) {
            throw new CertificateException("the server's certificate chain matches none of the pins in " + setting
                    + "; it presented " + SpkiPins.presented(chain));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
        pinned(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
        pinned(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
        pinned(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
