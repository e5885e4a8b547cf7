package io.portside.handler.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigOptionTest {

    private static final ConfigOption<Duration> DRAIN = ConfigOption.duration("drain.timeout", Duration.ofSeconds(30));
    private static final ConfigOption<Integer> BURST = ConfigOption.integer("burst", null, 1);

    @Test
    void anAbsentOrBlankKeyTakesTheDefault() {
        assertEquals(Duration.ofSeconds(30), DRAIN.from(Map.of()));
        assertEquals(Duration.ofSeconds(30), DRAIN.from(Map.of("drain.timeout", "  ")));
        assertEquals(Duration.ofSeconds(2), DRAIN.from(Map.of("drain.timeout", "2s")));
        assertFalse(DRAIN.isSet(Map.of("drain.timeout", "")));
        assertTrue(DRAIN.isSet(Map.of("drain.timeout", "1s")));
        assertNull(BURST.from(Map.of()));
        assertEquals(7, BURST.from(Map.of(), 7), "a default computed by the caller");
        assertEquals(3, BURST.from(Map.of("burst", "3"), 7));
    }

    @Test
    void aBadValueNamesTheKey() {
        assertEquals("'drain.timeout' is not a duration: 'soon' (expected e.g. 500ms, 30s, 2m)",
                assertThrows(IllegalArgumentException.class, () -> DRAIN.from(Map.of("drain.timeout", "soon"))).getMessage());
        assertEquals("'burst' must be at least 1: 0",
                assertThrows(IllegalArgumentException.class, () -> BURST.from(Map.of("burst", "0"))).getMessage());
    }

    @Test
    void textAndListsHaveEmptyDefaults() {
        assertEquals("", ConfigOption.text("handler").from(Map.of()));
        assertEquals("echo", ConfigOption.text("handler").from(Map.of("handler", " echo ")));
        assertEquals(List.of(), ConfigOption.list("policy.required").from(Map.of()));
        assertEquals(List.of("a", "b"), ConfigOption.list("policy.required").from(Map.of("policy.required", "a, b")));
        assertEquals(List.of("-Xmx1g", "-Da=b,c"), ConfigOption.words("jvm").from(Map.of("jvm", "-Xmx1g -Da=b,c")));
        assertEquals("policy.required", ConfigOption.list("policy.required").key());
    }
}
