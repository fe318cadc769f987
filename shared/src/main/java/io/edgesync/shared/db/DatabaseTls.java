package io.edgesync.shared.db;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TLS to the central database (a secure CockroachDB cluster, or PostgreSQL with SSL), declared once
 * for every service that uses it. Each value set becomes the pgjdbc connection property of the same
 * meaning ({@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey},
 * {@code sslpassword}); unset values leave the JDBC URL (or pgjdbc's default) in force.
 */
public record DatabaseTls(String mode, String rootCert, String cert, String key, String keyPassword) {
    private static final Set<String> MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");

    public static final Setting<String> SSL_MODE = Setting.string("database.ssl-mode", "",
            "TLS to the database (pgjdbc sslmode): disable, allow, prefer, require, verify-ca or verify-full "
                    + "(verify-full for a secure CockroachDB); empty: as the JDBC URL says.");
    public static final Setting<String> SSL_ROOT_CERT = Setting.string("database.ssl-root-cert", "",
            "PEM file of the CA that signed the database's certificate (sslrootcert).");
    public static final Setting<String> SSL_CERT = Setting.string("database.ssl-cert", "",
            "Client certificate file for certificate authentication, e.g. CockroachDB's client.USER.crt (sslcert).");
    public static final Setting<String> SSL_KEY = Setting.string("database.ssl-key", "",
            "Private key of the client certificate, PKCS-8 DER (.pk8) or PEM as pgjdbc accepts (sslkey).");
    public static final Setting<String> SSL_KEY_PASSWORD = Setting.secret("database.ssl-key-password", "",
            "Password of an encrypted database.ssl-key (sslpassword).");

    public static final List<Setting<?>> SETTINGS = List.of(SSL_MODE, SSL_ROOT_CERT, SSL_CERT, SSL_KEY,
            SSL_KEY_PASSWORD);

    /** Nothing set: the JDBC URL decides. */
    public static final DatabaseTls NONE = new DatabaseTls("", "", "", "", "");

    public DatabaseTls {
        if (!mode.isEmpty() && !MODES.contains(mode)) {
            throw new ConfigException("invalid key " + SSL_MODE.key() + ": '" + mode
                    + "'; accepted: disable, allow, prefer, require, verify-ca, verify-full or empty");
        }
    }

    public static DatabaseTls from(ConfigSource source) {
        return new DatabaseTls(source.get(SSL_MODE), source.get(SSL_ROOT_CERT), source.get(SSL_CERT),
                source.get(SSL_KEY), source.get(SSL_KEY_PASSWORD));
    }

    /** The pgjdbc properties for the values set. */
    public Map<String, String> driverProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "sslmode", mode);
        put(out, "sslrootcert", rootCert);
        put(out, "sslcert", cert);
        put(out, "sslkey", key);
        put(out, "sslpassword", keyPassword);
        return out;
    }

    private static void put(Map<String, String> out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.put(name, value);
        }
    }

    @Override
    public String toString() {
        return "DatabaseTls[mode=" + mode + ", rootCert=" + rootCert + ", cert=" + cert + ", key=" + key
                + ", keyPassword=" + (keyPassword.isEmpty() ? "" : "***") + "]";
    }
}
