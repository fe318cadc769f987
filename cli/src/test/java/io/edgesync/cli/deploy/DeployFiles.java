package io.edgesync.cli.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reads the repository's deployment files (compose/, k8s/) for the tests that check them. */
final class DeployFiles {
    /** A tag that names a release: v1.2.3, 17.0.15_6-jre-noble, RELEASE.2025-04-22T22-12-26Z; or a digest. */
    private static final Pattern PINNED = Pattern.compile(
            "[^:@\\s]+(:(v?\\d+\\.\\d+[\\w.\\-]*|RELEASE\\.[\\w.\\-]+))?(@sha256:[0-9a-f]{64})?");

    private DeployFiles() {
    }

    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("compose"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no compose/ above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    static List<Path> files(String dir, String... extensions) {
        try (Stream<Path> walk = Files.walk(root().resolve(dir))) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(extensions).anyMatch(e -> p.getFileName().toString().endsWith(e)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document in the file (SnakeYAML: anchors and merge keys resolved, as compose does). */
    static List<Object> yamlDocuments(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            List<Object> docs = new ArrayList<>();
            for (Object doc : new Yaml(options).loadAll(Files.readString(file))) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        List<Object> docs = yamlDocuments(file);
        if (docs.size() != 1 || !(docs.get(0) instanceof Map)) {
            throw new AssertionError(file + ": expected one YAML mapping, found " + docs.size() + " documents");
        }
        return (Map<String, Object>) docs.get(0);
    }

    /** An image reference with an explicit release tag or digest: never latest, never a bare major version. */
    static boolean pinned(String image) {
        return image != null && (image.contains(":") || image.contains("@")) && PINNED.matcher(image).matches()
                && !image.endsWith(":latest");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List ? (List<Object>) o : List.of();
    }
}
