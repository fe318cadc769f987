package io.edgesync.agent.tls;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How the agent speaks TLS to the gateway and the dispatcher (part of the agent's configuration):
 * the certificate authorities it trusts (a PEM bundle; without one, the JDK's) and, for mutual
 * TLS, a client certificate and its key (PEM), used for both endpoints.
 *
 * @param caBundle          PEM certificates of the authorities that sign the services' certificates; null: the JDK's
 * @param clientCertificate PEM certificate chain (leaf first) whose CN names this device; null: none
 * @param clientKey         PEM PKCS#8 private key of {@code clientCertificate}
 */
public record AgentTls(Path caBundle, Path clientCertificate, Path clientKey) {

    public static final AgentTls DEFAULT = new AgentTls(null, null, null);

    public static final Setting<String> CA_BUNDLE = Setting.string("agent.tls.ca-bundle", null,
            "PEM file of the certificate authorities the agent trusts for the gateway and the dispatcher "
                    + "(https:// URLs); unset: the JDK's default authorities.");
    public static final Setting<String> CLIENT_CERTIFICATE = Setting.string("agent.tls.client-certificate", null,
            "PEM certificate (chain, leaf first) the agent presents to the gateway and the dispatcher for mutual "
                    + "TLS; its CN must be the device id. Needs agent.tls.client-key.");
    public static final Setting<String> CLIENT_KEY = Setting.string("agent.tls.client-key", null,
            "PEM PKCS#8 private key (BEGIN PRIVATE KEY, EC or RSA, unencrypted; keep it owner-only) of "
                    + "agent.tls.client-certificate.");

    public static final List<Setting<?>> SETTINGS = List.of(CA_BUNDLE, CLIENT_CERTIFICATE, CLIENT_KEY);

    public static AgentTls from(ConfigSource source) {
        AgentTls tls = new AgentTls(file(source, CA_BUNDLE), file(source, CLIENT_CERTIFICATE), file(source, CLIENT_KEY));
        if ((tls.clientCertificate == null) != (tls.clientKey == null)) {
            throw new ConfigException(CLIENT_CERTIFICATE.key() + " and " + CLIENT_KEY.key()
                    + " go together: set both or neither");
        }
        return tls;
    }

    /** True when anything differs from the JDK's defaults. */
    public boolean configured() {
        return caBundle != null || clientCertificate != null;
    }

    private static Path file(ConfigSource source, Setting<String> setting) {
        String value = source.get(setting);
        if (value == null || value.isBlank()) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new ConfigException("invalid key " + setting.key() + ": " + value
                    + " is not a file; accepted: the path of a PEM file");
        }
        return path;
    }
}
