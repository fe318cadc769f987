package io.edgesync.shared.tls;

import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** The client certificate of a mutual TLS request, already checked by the TLS layer, and the device its CN names. */
public final class ClientCertificates {
    private static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private ClientCertificates() {
    }

    /** The chain the client presented, leaf first; null over plain HTTP or without a certificate. */
    public static X509Certificate[] chain(Context ctx) {
        return ctx.req().getAttribute(ATTRIBUTE) instanceof X509Certificate[] c && c.length > 0 ? c : null;
    }

    /** The CN of the client's leaf certificate; null without one. */
    public static String commonName(Context ctx) {
        X509Certificate[] chain = chain(ctx);
        return chain == null ? null : commonName(chain[0]);
    }

    public static String commonName(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
