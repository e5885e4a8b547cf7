package io.portside.handler.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValuesTest {

    @Test
    void durationsTakeMillisecondsSecondsMinutesOrPlainSeconds() {
        assertEquals(Duration.ofMillis(500), ConfigValues.duration("k", "500ms"));
        assertEquals(Duration.ofSeconds(30), ConfigValues.duration("k", "30s"));
        assertEquals(Duration.ofMinutes(2), ConfigValues.duration("k", "2m"));
        assertEquals(Duration.ofSeconds(7), ConfigValues.duration("k", " 7 "));
        assertEquals(Duration.ofMillis(1500), ConfigValues.duration("k", "1.5s"));
        assertEquals(Duration.ofMillis(250), ConfigValues.duration("k", "0.25"));
        assertEquals(Duration.ofSeconds(90), ConfigValues.duration("k", "1.5m"));
        assertEquals(Duration.ofMillis(20), ConfigValues.duration("k", "20 MS"));
        assertEquals(Duration.ZERO, ConfigValues.duration("k", "0"));
        assertEquals(Duration.ofSeconds(5), ConfigValues.duration("k", 5), "a typed number is seconds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "", "30 seconds", "2h", "2d", "1f", "NaN", "Infinity", "0x10", "1e9999s", "s", "5ms5"})
    void whatIsNotADurationIsSaidOneWay(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigValues.duration("drain.timeout", text));
        assertEquals("'drain.timeout' is not a duration: '" + text.trim() + "' (expected e.g. 500ms, 30s, 2m)", e.getMessage());
    }

    @Test
    void negativeDurationsAreRefusedAndPositiveOnesMayRequireMoreThanZero() {
        assertEquals("'gap.timeout' must not be negative: '-1s'",
                assertThrows(IllegalArgumentException.class, () -> ConfigValues.duration("gap.timeout", "-1s")).getMessage());
        assertEquals("'forking.wait' must be above 0: '0s'",
                assertThrows(IllegalArgumentException.class, () -> ConfigValues.positiveDuration("forking.wait", "0s")).getMessage());
        assertEquals(Duration.ofMillis(1), ConfigValues.positiveDuration("forking.wait", "1ms"));
    }

    @Test
    void listsSplitOnCommasAndOrWhiteSpaceEverywhere() {
        List<String> two = List.of("office", "per-client");
        assertEquals(two, ConfigValues.list("office,per-client"));
        assertEquals(two, ConfigValues.list(" office, per-client ,"));
        assertEquals(two, ConfigValues.list("office per-client"));
        assertEquals(two, ConfigValues.list("office ,\t per-client"));
        assertEquals(two, ConfigValues.list(new String[] {"office", "per-client"}));
        assertEquals(List.of("a", "b", "c"), ConfigValues.list(new String[] {"a", "b, c"}), "array elements are split too");
        assertEquals(List.of("a", "b"), ConfigValues.list(List.of("a", " b ")));
        assertEquals(List.of(), ConfigValues.list(null));
        assertEquals(List.of(), ConfigValues.list("  , "));
    }

    @Test
    void valuesWhoseItemsHoldTheOtherSeparatorKeepOne() {
        assertEquals(List.of("unix:my sockets/a.sock", "tcp://127.0.0.1:1"), ConfigValues.commaList("unix:my sockets/a.sock , tcp://127.0.0.1:1"));
        assertEquals(List.of("-Dx=a,b", "-Xmx64m"), ConfigValues.words(" -Dx=a,b   -Xmx64m "));
    }

    @Test
    void integersHaveBoundsAndOneWording() {
        assertEquals(4, ConfigValues.integer("k", " 4 ", 1, 10));
        assertEquals(4, ConfigValues.integer("k", 4L, 1, 10));
        assertEquals(4, ConfigValues.integer("k", 4.0, 1, 10), "a whole typed number");
        assertEquals("'max.connections' is not a whole number: 'ten'",
                assertThrows(IllegalArgumentException.class, () -> ConfigValues.integer("max.connections", "ten", 1, 10)).getMessage());
        assertEquals("'pool.size' is not a whole number: '99999999999'",
                assertThrows(IllegalArgumentException.class, () -> ConfigValues.integer("pool.size", "99999999999", 1, Integer.MAX_VALUE)).getMessage());
        assertEquals("'pool.size' is not a whole number: '4.5'",
                assertThrows(IllegalArgumentException.class, () -> ConfigValues.integer("pool.size", 4.5, 1, 10)).getMessage());
        assertEquals("'backlog' must be at least 1: 0",
                assertThrows(IllegalArgumentException.class, () -> ConfigValues.integer("backlog", "0", 1, 10)).getMessage());
        assertEquals("'k' must be at most 10: 11",
                assertThrows(IllegalArgumentException.class, () -> ConfigValues.integer("k", "11", 1, 10)).getMessage());
    }

    @Test
    void decimalsAreFiniteAndAboveTheirBound() {
        assertEquals(0.5, ConfigValues.decimalAbove("rate", "0.5", 0));
        assertEquals(5, ConfigValues.decimalAbove("rate", 5, 0));
        assertEquals("'rate' must be above 0: -3",
                assertThrows(IllegalArgumentException.class, () -> ConfigValues.decimalAbove("rate", "-3", 0)).getMessage());
        assertEquals("'rate' must be above 0: 0",
                assertThrows(IllegalArgumentException.class, () -> ConfigValues.decimalAbove("rate", "0", 0)).getMessage());
        for (String bad : new String[] {"fast", "NaN", "Infinity", "5d"}) {
            assertEquals("'rate' is not a number: '" + bad + "'",
                    assertThrows(IllegalArgumentException.class, () -> ConfigValues.decimalAbove("rate", bad, 0)).getMessage());
        }
    }
}
