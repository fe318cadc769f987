package io.edgesync.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.auth.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCredentialsTest {
    @Test
    void generatedOncePerDataDirectoryAndReusedAfterwards(@TempDir Path dir) throws Exception {
        LocalCredentials first = LocalCredentials.loadOrCreate(dir);
        LocalCredentials again = LocalCredentials.loadOrCreate(dir);

        assertEquals(first, again);
        assertEquals(Files.readString(first.signingKeyFile()), Files.readString(again.signingKeyFile()));
        assertTrue(Tokens.readKey(first.signingKeyFile()).isPrivate());
        assertFalse(Tokens.readKey(first.publicKeyFile()).isPrivate(), "the gateway's file holds no private key");
        assertNotEquals(first.operatorToken(), first.enrollmentKey());
    }

    @Test
    void anotherDataDirectoryGetsOtherCredentials(@TempDir Path a, @TempDir Path b) {
        assertNotEquals(LocalCredentials.loadOrCreate(a).operatorToken(), LocalCredentials.loadOrCreate(b).operatorToken());
    }
}
