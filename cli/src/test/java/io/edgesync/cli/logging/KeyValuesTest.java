package io.edgesync.cli.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

    @Test
    void pairsBecomeFieldsQuotedValuesKeepTheirSpaces() {
        assertEquals(Map.of("event", "stop_failed", "component", "CockroachSink", "reason", "java.io.IOException: gone"),
                KeyValues.parse("event=stop_failed component=CockroachSink reason=\"java.io.IOException: gone\""));
    }

    @Test
    void textThatIsNotAPairIsKeptUnderText() {
        assertEquals(Map.of("text", "Using an OS temp directory"), KeyValues.parse("Using an OS temp directory"));
        assertEquals(Map.of("event", "x", "text", "and more"), KeyValues.parse("event=x and more"));
        assertEquals(Map.of(), KeyValues.parse(null));
    }

    @Test
    void theFirstOfARepeatedKeyWins() {
        assertEquals(Map.of("a", "1"), KeyValues.parse("a=1 a=2"));
    }
}
