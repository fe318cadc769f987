package io.edgesync.shared.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration values from, in increasing precedence: declared defaults, a YAML file (nested
 * maps flatten to dotted keys), overrides (command-line flags) and the environment
 * ({@code EDGESYNC_...}). A pure function of its inputs: tests pass maps, not the real environment.
 *
 * <p>Every setting can also be read from a file named by its environment variable with {@code _FILE}
 * appended ({@code EDGESYNC_DISPATCHER_OPERATOR_TOKEN_FILE=/run/secrets/operator-token}), the
 * convention of Docker and Kubernetes secrets: the file's content, without a trailing line break, is
 * the value, at the environment's precedence. Setting both the variable and its {@code _FILE} form is
 * an error.
 */
public final class ConfigSource {
    private final Map<String, String> file;
    private final Map<String, String> env;

    private ConfigSource(Map<String, String> file, Map<String, String> env) {
        this.file = Map.copyOf(file);
        this.env = Map.copyOf(env);
    }

    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(values, Map.of());
    }

    public static ConfigSource load(Path yamlFile, Map<String, String> overrides, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        if (yamlFile != null) {
            try {
                JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yamlFile.toFile());
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    flatten("", root, values);
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + yamlFile + ": " + e.getMessage());
            }
        }
        values.putAll(Objects.requireNonNullElse(overrides, Map.of()));
        return new ConfigSource(values, Objects.requireNonNullElse(env, Map.of()));
    }

    public static ConfigSource load(Path yamlFile, Map<String, String> env) {
        if (yamlFile != null && !Files.isRegularFile(yamlFile)) {
            throw new ConfigException("configuration file " + yamlFile + " does not exist");
        }
        return load(yamlFile, Map.of(), env);
    }

    /** The same values with {@code key} set, overriding the file (but not the environment). */
    public ConfigSource with(String key, String value) {
        Map<String, String> copy = new HashMap<>(file);
        copy.put(key, value);
        return new ConfigSource(copy, env);
    }

    public <T> T get(Setting<T> setting) {
        String raw = env.get(setting.envName());
        String origin = "environment variable " + setting.envName();
        String fromFile = env.get(fileEnvName(setting));
        if (fromFile != null) {
            if (raw != null) {
                throw new ConfigException("both " + setting.envName() + " and " + fileEnvName(setting)
                        + " are set; set only one");
            }
            raw = readValueFile(setting, fromFile);
            origin = "file " + fromFile + " (" + fileEnvName(setting) + ")";
        }
        if (raw == null) {
            raw = file.get(setting.key());
            origin = "key " + setting.key();
        }
        if (raw == null) {
            raw = setting.defaultValue();
            origin = "default of " + setting.key();
        }
        if (raw == null) {
            return null;
        }
        try {
            return setting.parser().apply(raw);
        } catch (RuntimeException e) {
            String shown = setting.secret() ? "***" : "'" + raw + "'";
            throw new ConfigException("invalid " + origin + ": " + shown + "; accepted: " + setting.accepted());
        }
    }

    /**
     * Every value whose key starts with {@code prefix}, keyed by the rest: from the file
     * ({@code kafka.properties.security.protocol}, or nested YAML), overridden by the environment
     * ({@code EDGESYNC_KAFKA_PROPERTIES_SECURITY_PROTOCOL}: underscores are dots, lower case) and its
     * {@code _FILE} form ({@code EDGESYNC_KAFKA_PROPERTIES_SASL_JAAS_CONFIG_FILE}, for secrets).
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new java.util.TreeMap<>();
        file.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        String envPrefix = "EDGESYNC_" + prefix.toUpperCase(java.util.Locale.ROOT).replace('.', '_')
                .replace('-', '_');
        Map<String, String> fromEnv = new java.util.TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(envPrefix) && k.length() > envPrefix.length() && !k.endsWith("_FILE")) {
                fromEnv.put(envKey(k.substring(envPrefix.length())), v);
            }
        });
        env.forEach((k, v) -> {
            if (k.startsWith(envPrefix) && k.endsWith("_FILE") && k.length() > envPrefix.length() + 5) {
                String key = envKey(k.substring(envPrefix.length(), k.length() - 5));
                if (fromEnv.containsKey(key)) {
                    throw new ConfigException("both " + k.substring(0, k.length() - 5) + " and " + k
                            + " are set; set only one");
                }
                Setting<String> named = Setting.secret(prefix + key, null, "");
                fromEnv.put(key, readValueFile(named, v));
            }
        });
        out.putAll(fromEnv);
        return out;
    }

    private static String envKey(String rest) {
        return rest.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }

    /** The environment variable naming a file that holds the setting's value: {@code EDGESYNC_..._FILE}. */
    public static String fileEnvName(Setting<?> setting) {
        return setting.envName() + "_FILE";
    }

    private static String readValueFile(Setting<?> setting, String file) {
        try {
            String content = Files.readString(Path.of(file));
            return content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                    : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot read " + fileEnvName(setting) + " file " + file + " for "
                    + setting.key() + ": " + e.getClass().getSimpleName());
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull()) {
            out.put(prefix, node.isTextual() ? node.asText() : node.toString());
        }
    }
}
