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
}
