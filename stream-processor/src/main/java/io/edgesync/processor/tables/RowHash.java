package io.edgesync.processor.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A 64-bit hash of a row's values, independent of the order of its fields (SHA-256, first 8 bytes). */
final class RowHash {
    private RowHash() {
    }

    static long of(ObjectNode values) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.sort(null);
        for (String name : names) {
            JsonNode v = values.get(name);
            if (v.isNull()) {
                continue; // an absent column and a null one are the same row
            }
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(v.toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return ByteBuffer.wrap(digest.digest()).getLong();
    }
}
