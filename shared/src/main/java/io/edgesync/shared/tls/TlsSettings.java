package io.edgesync.shared.tls;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.nio.file.Path;
import java.util.List;

/**
 * HTTPS settings of a service's port, the same for the gateway and the dispatcher: {@code keystore}
 * null means plain HTTP; a truststore turns on mutual TLS (clients must present a certificate it
 * trusts, and its CN names the device).
 */
public record TlsSettings(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {

    public static final TlsSettings OFF = new TlsSettings(null, "", null, "");

    public boolean enabled() {
        return keystore != null;
    }

    public boolean mutual() {
        return truststore != null;
    }

    /** What a started-up log line says: off, server or mutual. */
    public String mode() {
        return enabled() ? (mutual() ? "mutual" : "server") : "off";
    }

    /** The four settings under {@code <service>.tls.}, declared once here for every service. */
    public record Keys(Setting<String> keystore, Setting<String> keystorePassword, Setting<String> truststore,
                       Setting<String> truststorePassword) {
        public List<Setting<?>> all() {
            return List.of(keystore, keystorePassword, truststore, truststorePassword);
        }
    }

    public static Keys declare(String service) {
        String p = service + ".tls.";
        return new Keys(
                Setting.string(p + "keystore", null, "PKCS12 keystore with the server key and certificate; when set "
                        + "the port speaks HTTPS, TLS 1.3 only."),
                Setting.secret(p + "keystore-password", "", "Password of " + p + "keystore."),
                Setting.string(p + "truststore", null, "PKCS12 truststore of the device certificate authorities; "
                        + "when set, clients must present a certificate, and a device's certificate CN must name "
                        + "the device its token is for."),
                Setting.secret(p + "truststore-password", "", "Password of " + p + "truststore."));
    }

    public static TlsSettings from(ConfigSource source, Keys keys) {
        TlsSettings tls = new TlsSettings(path(source.get(keys.keystore())), source.get(keys.keystorePassword()),
                path(source.get(keys.truststore())), source.get(keys.truststorePassword()));
        if (tls.mutual() && !tls.enabled()) {
            throw new ConfigException(keys.truststore().key() + " is set but " + keys.keystore().key() + " is not");
        }
        return tls;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
