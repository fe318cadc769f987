package io.edgesync.cli.deploy;

import io.edgesync.cli.ConfigDocsAccess;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The environment variables each {@code edgesync serve <service>} reads, from the settings registry. */
final class ServeSettings {
    private static final Map<String, String> MODULE = Map.of(
            "gateway", "ingest-gateway", "processor", "stream-processor",
            "sink", "cockroach-sink", "dispatcher", "command-dispatcher");

    private ServeSettings() {
    }

    /** Variables of {@code serve <service>}: each setting's name and its {@code _FILE} form. */
    static Set<String> of(String service) {
        String module = MODULE.get(service);
        if (module == null) {
            throw new AssertionError("no such service for edgesync serve: " + service);
        }
        return names(ConfigDocsAccess.settingsOf(module));
    }

    /** Every declared variable of every service and the agent. */
    static Set<String> all() {
        Set<String> names = new HashSet<>();
        ConfigDocsAccess.services().values().forEach(settings -> names.addAll(names(settings)));
        return names;
    }

    private static Set<String> names(List<Setting<?>> settings) {
        Set<String> names = new HashSet<>();
        for (Setting<?> s : settings) {
            names.add(s.envName());
            names.add(ConfigSource.fileEnvName(s));
        }
        return names;
    }
}
