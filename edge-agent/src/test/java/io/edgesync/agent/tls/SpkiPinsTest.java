package io.edgesync.agent.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.config.ConfigException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SpkiPinsTest {
    private static final String A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String B = Base64.getEncoder().encodeToString(filled((byte) 1));

    private static byte[] filled(byte b) {
        byte[] out = new byte[32];
        java.util.Arrays.fill(out, b);
        return out;
    }

    @Test
    void unsetMeansNoPinning() {
        assertFalse(SpkiPins.parse(null, "k").enabled());
        assertFalse(SpkiPins.parse(" ", "k").enabled());
    }

    @Test
    void twoDistinctPinsWithOrWithoutThePrefixAreAccepted() {
        SpkiPins pins = SpkiPins.parse("sha256/" + A + ", " + B, "k");
        assertTrue(pins.enabled());
        assertEquals(2, pins.pins().size());
        assertTrue(pins.pins().contains("sha256/" + B));
    }

    @Test
    void fewerThanTwoDistinctPinsFailStartUpNamingTheKey() {
        ConfigException one = assertThrows(ConfigException.class, () -> SpkiPins.parse(A, "agent.tls.gateway-pins"));
        assertTrue(one.getMessage().contains("agent.tls.gateway-pins"), one.getMessage());
        assertTrue(one.getMessage().contains("at least two"), one.getMessage());
        assertThrows(ConfigException.class, () -> SpkiPins.parse(A + ",sha256/" + A, "k"));
    }

    @Test
    void aPinThatIsNotABase64Sha256IsRefused() {
        assertThrows(ConfigException.class, () -> SpkiPins.parse("sha256/not-base64!," + A, "k"));
        assertThrows(ConfigException.class, () -> SpkiPins.parse("sha256/AAAA," + A, "k"));
    }
}
