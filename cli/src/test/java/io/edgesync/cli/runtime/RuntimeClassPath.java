package io.edgesync.cli.runtime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class paths bin/edgesync builds (cli/pom.xml writes them at process-resources): the runtime one
 * that {@code serve}, {@code agent} and every other command run with, and the embedded one it adds for
 * {@code local}, {@code demo} and {@code bench}. Read from the module's target directory.
 */
public final class RuntimeClassPath {
    private static final Path TARGET = Path.of("target");

    private RuntimeClassPath() {
    }

    /** The entries of target/classpath.txt (jars and module outputs). */
    public static List<String> runtimeEntries() {
        return entries("classpath.txt");
    }

    /** The entries of target/classpath-embedded.txt. */
    public static List<String> embeddedEntries() {
        return entries("classpath-embedded.txt");
    }

    /** What {@code java -cp} gets for serve and agent: the CLI's classes, then the runtime entries. */
    public static String runtime() {
        List<String> all = new ArrayList<>();
        all.add(TARGET.resolve("classes").toAbsolutePath().toString());
        all.addAll(runtimeEntries());
        return String.join(File.pathSeparator, all);
    }

    private static List<String> entries(String file) {
        try {
            String text = Files.readString(TARGET.resolve(file)).trim();
            return text.isEmpty() ? List.of() : List.of(text.split(File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException("no " + file + " under target/: build the cli module first", e);
        }
    }
}
