package io.edgesync.gateway.auth;

import java.security.cert.X509Certificate;

/**
 * What a request presents: its {@code Authorization} header and, over mutual TLS, the client
 * certificate chain (leaf first). Either may be null.
 */
public record Credentials(String authorization, X509Certificate[] clientCertificates) {
}
