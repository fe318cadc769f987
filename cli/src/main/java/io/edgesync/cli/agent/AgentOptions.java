package io.edgesync.cli.agent;

import io.edgesync.agent.AgentConfig;
import io.edgesync.shared.config.ConfigSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every agent subcommand takes. */
final class AgentOptions {
    @Option(names = "--config", description = "YAML configuration file (keys under agent.*).")
    Path configFile;

    @Option(names = "--database", description = "Overrides agent.database.")
    Path database;

    AgentConfig load() {
        Map<String, String> overrides = new HashMap<>();
        if (database != null) {
            overrides.put(AgentConfig.DATABASE.key(), database.toString());
        }
        ConfigSource source = configFile == null ? ConfigSource.load(null, overrides, System.getenv())
                : ConfigSource.load(configFile, System.getenv());
        if (configFile != null && database != null) {
            source = source.with(AgentConfig.DATABASE.key(), database.toString());
        }
        return AgentConfig.from(source);
    }
}
