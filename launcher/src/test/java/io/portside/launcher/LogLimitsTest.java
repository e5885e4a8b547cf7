package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code -Dportside.log.burst} and {@code -Dportside.log.window}. */
class LogLimitsTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(LogLimits.BURST_PROPERTY);
        System.clearProperty(LogLimits.WINDOW_PROPERTY);
    }

    @Test
    void defaultsAreTenLinesPerTenSeconds() {
        List<String> problems = new ArrayList<>();
        assertEquals(LogLimits.DEFAULTS, LogLimits.fromSystemProperties(problems));
        assertEquals(List.of(), problems);
        assertEquals("10 s", LogLimits.DEFAULTS.windowText());
    }

    @Test
    void propertiesSetBurstAndWindow() {
        System.setProperty(LogLimits.BURST_PROPERTY, "50");
        System.setProperty(LogLimits.WINDOW_PROPERTY, "1m");
        List<String> problems = new ArrayList<>();
        assertEquals(new LogLimits(50, Duration.ofMinutes(1), LogLimits.MAX_KINDS), LogLimits.fromSystemProperties(problems));
        assertEquals(List.of(), problems);
    }

    @Test
    void durationsReadLikeTheHostsOwn() {
        assertEquals(Duration.ofMillis(500), LogLimits.duration("500ms"));
        assertEquals(Duration.ofMillis(1500), LogLimits.duration("1.5s"));
        assertEquals(Duration.ofSeconds(30), LogLimits.duration(" 30 "));
        assertEquals(Duration.ofMinutes(2), LogLimits.duration("2M"));
        assertNull(LogLimits.duration("soon"));
        assertNull(LogLimits.duration("NaN"));
    }

    @Test
    void badValuesAreRefusedInOneSentenceEachAndTheDefaultsApply() {
        System.setProperty(LogLimits.BURST_PROPERTY, "0");
        System.setProperty(LogLimits.WINDOW_PROPERTY, "10ms");
        List<String> problems = new ArrayList<>();
        assertEquals(LogLimits.DEFAULTS, LogLimits.fromSystemProperties(problems));
        assertEquals(List.of(
                "Ignoring -Dportside.log.burst='0': expected a whole number of at least 1; using 10",
                "Ignoring -Dportside.log.window='10ms': expected a duration of at least 100ms, e.g. 500ms, 10s, 1m; using 10s"), problems);
    }

    @Test
    void theFirstLineOfAKindCannotBeConfiguredAway() {
        assertThrows(IllegalArgumentException.class, () -> new LogLimits(0, Duration.ofSeconds(1), 10));
    }
}
