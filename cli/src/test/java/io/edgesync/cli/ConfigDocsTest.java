package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    @Test
    void configurationPageMatchesTheDeclaredSettings() throws Exception {
        Path page = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/configuration.md");
        assertEquals(ConfigDocs.render(), Files.readString(page),
                "docs/configuration.md is out of date: regenerate it with bin/edgesync config-docs > docs/configuration.md");
    }

    @Test
    void noSettingsFileFormIsAnotherSettingsVariable() {
        // EDGESYNC_X_FILE names the file holding x; no declared setting may itself be called x-file
        java.util.Map<String, String> byEnv = new java.util.HashMap<>();
        ConfigDocs.services().values().forEach(list -> list.forEach(s -> byEnv.put(s.envName(), s.key())));
        ConfigDocs.services().values().forEach(list -> list.forEach(s -> assertEquals(null,
                byEnv.get(io.edgesync.shared.config.ConfigSource.fileEnvName(s)),
                s.key() + "'s _FILE form is another setting's variable")));
    }
}
