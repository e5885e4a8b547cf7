package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

/**
 * A flood of connections over a listener's {@code max.connections} logs a bounded number of lines: the host's line
 * (server-core's {@code Admission}) is one kind per listener whatever the client, so the limiter prints a burst and
 * summarizes the rest.
 */
class ConnectionLimitLogTest {

    /** The template the admission stage logs a connection over the limit with. */
    private static final String OVER_LIMIT = "Listener {0}: rejected {1}: at its limit of {2} connections (max.connections)";

    private static LogRecord overLimit(String listener, int clientPort) {
        LogRecord r = new LogRecord(Level.INFO, OVER_LIMIT);
        r.setLoggerName(LogKind.HOST_LOGGER);
        r.setParameters(new Object[] {listener, "/127.0.0.1:" + clientPort, "50"});
        return r;
    }

    @Test
    void aFloodOverTheLimitIsOneKindPerListenerAndPrintsABurst() {
        Set<LogKind> kinds = new HashSet<>();
        LogRateLimiter limiter = new LogRateLimiter(LogLimits.DEFAULTS, () -> 0L);
        int printed = 0;
        for (int port = 40_000; port < 45_000; port++) {
            LogKind kind = LogKind.of(overLimit("limited", port), "portside-listener-limited");
            kinds.add(kind);
            printed += limiter.offer(kind).print() ? 1 : 0;
        }
        assertEquals(1, kinds.size(), "every client's line is the same kind");
        assertEquals("limited", kinds.iterator().next().listener(), "counted against the listener it concerns");
        assertEquals(LogLimits.DEFAULT_BURST, printed);
        assertEquals(1, limiter.expireAll().size(), "the rest becomes one summary");
    }

    @Test
    void anotherListenersLinesHaveTheirOwnBudget() {
        LogRateLimiter limiter = new LogRateLimiter(new LogLimits(10, Duration.ofSeconds(10), 1000), () -> 0L);
        for (int port = 40_000; port < 41_000; port++) {
            limiter.offer(LogKind.of(overLimit("limited", port), "t"));
        }
        assertEquals(true, limiter.offer(LogKind.of(overLimit("other", 1), "t")).print());
    }
}
