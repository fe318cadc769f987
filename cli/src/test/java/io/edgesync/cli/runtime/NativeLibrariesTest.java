package io.edgesync.cli.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The agent runs on linux-x86_64 and linux-aarch64 (gateways and single-board computers): every jar of
 * the runtime class path that ships Linux native libraries (sqlite-jdbc, and the compression codecs and
 * RocksDB the services use) ships them for both, and nothing else on it is architecture-specific.
 */
class NativeLibrariesTest {

    @Test
    void everyJarWithLinuxNativesCoversX8664AndAarch64() throws IOException {
        Map<String, TreeSet<String>> archesByJar = new TreeMap<>();
        for (String entry : RuntimeClassPath.runtimeEntries()) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    String name = e.getName().toLowerCase(Locale.ROOT);
                    if (name.endsWith(".so") && name.contains("linux")) {
                        archesByJar.computeIfAbsent(Path.of(entry).getFileName().toString(), k -> new TreeSet<>())
                                .add(arch(name));
                    }
                }
            }
        }
        // GIVEN sqlite-jdbc, which the agent cannot run without, is among them
        assertTrue(archesByJar.keySet().stream().anyMatch(j -> j.startsWith("sqlite-jdbc-")), archesByJar.toString());
        // THEN each covers both architectures
        List<String> missing = new ArrayList<>();
        archesByJar.forEach((jar, arches) -> {
            for (String required : List.of("x86_64", "aarch64")) {
                if (!arches.contains(required)) {
                    missing.add(jar + " has no linux-" + required + " library (has " + arches + ")");
                }
            }
        });
        assertEquals(List.of(), missing);
    }

    @Test
    void architectureNamesOfTheLibrariesWeShipAreRecognised() {
        assertEquals("aarch64", arch("org/sqlite/native/linux/aarch64/libsqlitejdbc.so"));
        assertEquals("x86_64", arch("org/sqlite/native/linux/x86_64/libsqlitejdbc.so"));
        assertEquals("x86_64", arch("linux/amd64/libzstd-jni-1.5.6-10.so"));
        assertEquals("x86_64", arch("librocksdbjni-linux64.so"));
        assertEquals("aarch64", arch("librocksdbjni-linux-aarch64.so"));
        assertEquals("other", arch("org/sqlite/native/linux/armv7/libsqlitejdbc.so"));
    }

    private static String arch(String path) {
        if (path.contains("aarch64") || path.contains("arm64")) {
            return "aarch64";
        }
        if (path.contains("x86_64") || path.contains("amd64") || path.contains("linux64")) {
            return "x86_64";
        }
        return "other";
    }
}
