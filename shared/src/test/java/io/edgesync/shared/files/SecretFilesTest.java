package io.edgesync.shared.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void aWrittenSecretIsOwnerOnlyAndReplacesTheOldContentLeavingNoTemporaryFile() throws Exception {
        Path file = dir.resolve("sub/secret.txt");
        SecretFiles.write(file, "one".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", mode(file));
        SecretFiles.write(file, "two".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
        assertEquals("rw-------", mode(file));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count());
        }
    }

    @Test
    void createIfAbsentCreatesOwnerOnlyOnceAndLeavesAnExistingFileAlone() throws Exception {
        Path file = dir.resolve("store.db");
        assertTrue(SecretFiles.createIfAbsent(file));
        assertEquals("rw-------", mode(file));
        Files.writeString(file, "kept");
        assertFalse(SecretFiles.createIfAbsent(file));
        assertEquals("kept", Files.readString(file));
    }
}
