package io.edgesync.cli;

import io.edgesync.shared.config.Setting;
import java.util.List;
import java.util.Map;

/** Test access to the settings registry ({@link ConfigDocs#services()}) from other test packages. */
public final class ConfigDocsAccess {
    private ConfigDocsAccess() {
    }

    public static Map<String, List<Setting<?>>> services() {
        return ConfigDocs.services();
    }

    /** The settings one service (section of docs/configuration.md) reads, with those every service reads. */
    public static List<Setting<?>> settingsOf(String service) {
        List<Setting<?>> settings = ConfigDocs.services().get(service);
        if (settings == null) {
            throw new AssertionError("no settings section " + service + " in " + ConfigDocs.services().keySet());
        }
        List<Setting<?>> all = new java.util.ArrayList<>(settings);
        all.addAll(ConfigDocs.services().get(ConfigDocs.COMMON));
        return all;
    }
}
