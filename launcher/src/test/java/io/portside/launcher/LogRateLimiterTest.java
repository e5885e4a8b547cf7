package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

/** The limiter's policy on a clock the test moves. */
class LogRateLimiterTest {

    private static final String REJECTED = "Listener {0}: rejected {1}: {2}";
    private static final LogKind REJECTION = new LogKind("guarded", "io.portside.host", Level.INFO, REJECTED);

    private long now = 1_000_000_000L;
    private final LogRateLimiter limiter = new LogRateLimiter(new LogLimits(10, Duration.ofSeconds(10), 1000), () -> now);

    private void advance(Duration d) {
        now += d.toNanos();
    }

    /** Offers {@code n} lines of {@code kind}; returns how many printed. */
    private int offer(LogKind kind, int n) {
        int printed = 0;
        for (int i = 0; i < n; i++) {
            LogRateLimiter.Verdict v = limiter.offer(kind);
            assertNull(v.dueFirst(), "no summary within a window");
            printed += v.print() ? 1 : 0;
        }
        return printed;
    }

    @Test
    void theBurstPrintsAndTheRestIsCounted() {
        assertEquals(10, offer(REJECTION, 4_822));
        assertEquals(List.of(), limiter.expire(), "nothing is summarized before the window ends");
        advance(Duration.ofSeconds(10));

        List<LogSummary> due = limiter.expire();
        assertEquals(1, due.size());
        assertEquals(4_812, due.get(0).count());
        assertEquals("... and 4,812 more like this in the last 10 s on listener guarded: \"Listener {0}: rejected {1}: {2}\"",
                due.get(0).text());
    }

    @Test
    void theSummaryIsLoggedAsItsKindsLoggerAndLevelWithTheTemplateAsIs() {
        LogKind failure = new LogKind(null, "io.portside.sample.filetransfer", Level.WARNING, "file-transfer: {0} failed");
        offer(failure, 13);
        advance(Duration.ofSeconds(11));

        java.util.logging.LogRecord r = limiter.expire().get(0).toRecord();
        assertEquals(Level.WARNING, r.getLevel());
        assertEquals("io.portside.sample.filetransfer", r.getLoggerName());
        assertNull(r.getParameters(), "no parameters: the braces of the template print as they are");
        assertEquals("... and 3 more like this in the last 10 s: \"file-transfer: {0} failed\"", r.getMessage());
    }

    @Test
    void theNextLineAfterTheWindowBringsTheSummaryAndOpensANewWindow() {
        offer(REJECTION, 15);
        advance(Duration.ofSeconds(12));

        LogRateLimiter.Verdict next = limiter.offer(REJECTION);
        assertTrue(next.print(), "the first line of a new window prints");
        assertNotNull(next.dueFirst(), "after the summary of the window before");
        assertEquals(5, next.dueFirst().count());
        assertEquals(9, offer(REJECTION, 20), "a new burst: 1 + 9 lines");
        assertEquals(List.of(), limiter.expire(), "the new window has not ended");
        advance(Duration.ofSeconds(10));
        assertEquals(11, limiter.expire().get(0).count());
    }

    @Test
    void aBurstThatGoesSilentIsSummarizedOnceAndForgotten() {
        offer(REJECTION, 11);
        advance(Duration.ofSeconds(10));

        assertEquals(1, limiter.expire().size());
        assertEquals(0, limiter.openWindows(), "ended windows are forgotten");
        assertEquals(List.of(), limiter.expire(), "one summary, not one per tick");
        assertTrue(limiter.offer(REJECTION).print(), "the kind starts afresh");
    }

    @Test
    void aWindowWithNothingHeldBackEndsWithoutASummary() {
        offer(REJECTION, 10);
        advance(Duration.ofSeconds(10));

        assertEquals(List.of(), limiter.expire());
        assertEquals(0, limiter.openWindows());
    }

    @Test
    void theFirstLineOfAKindAlwaysPrintsWarningsAndErrorsIncluded() {
        offer(REJECTION, 100);
        for (Level level : List.of(Level.INFO, Level.WARNING, Level.SEVERE)) {
            LogKind failure = new LogKind("guarded", "io.portside.host", level, "Listener {0}: handler {1} failed on a request from {2}: {3}");
            assertTrue(limiter.offer(failure).print(), "first " + level + " line");
            assertEquals(9, offer(failure, 1_000), "then the burst of " + level + ", the rest counted: errors are limited too");
        }
    }

    @Test
    void listenersAreCountedApart() {
        assertEquals(10, offer(REJECTION, 50));
        assertEquals(10, offer(new LogKind("other-listener", "io.portside.host", Level.INFO, REJECTED), 50));
        assertEquals(10, offer(new LogKind(null, "io.portside.host", Level.INFO, REJECTED), 50));
        advance(Duration.ofSeconds(10));
        assertEquals(3, limiter.expire().size());
    }

    @Test
    void kindsBeyondTheBoundShareOneOtherWindow() {
        LogRateLimiter small = new LogRateLimiter(new LogLimits(2, Duration.ofSeconds(10), 3), () -> now);
        int printed = 0;
        for (int i = 0; i < 1_000; i++) {
            // e.g. a handler that puts the client's input into the message itself: every line another "template"
            LogKind unique = new LogKind("echo-tcp", "com.example", i % 2 == 0 ? Level.INFO : Level.WARNING, "bad input " + i);
            printed += small.offer(unique).print() ? 1 : 0;
        }
        assertEquals(3 + 2, printed, "the first line of 3 kinds, then the other window's burst");
        assertEquals(4, small.openWindows(), "memory is bounded");

        advance(Duration.ofSeconds(10));
        List<LogSummary> due = small.expire();
        assertEquals(1, due.size());
        assertEquals(995, due.get(0).count());
        assertEquals(Level.WARNING, due.get(0).level(), "at the level of its most severe line");
        assertEquals("... and 995 more lines of other kinds in the last 10 s (too many kinds at once to count each)", due.get(0).text());
        assertEquals(0, small.openWindows());
    }

    @Test
    void stoppingSummarizesWhatIsHeldBackAtOnce() {
        offer(REJECTION, 25);
        List<LogSummary> due = limiter.expireAll();
        assertEquals(1, due.size());
        assertEquals(15, due.get(0).count());
        assertEquals(0, limiter.openWindows());
    }

    @Test
    void windowsOfMillisecondsAreNamedSo() {
        LogRateLimiter fast = new LogRateLimiter(new LogLimits(1, Duration.ofMillis(500), 10), () -> now);
        fast.offer(REJECTION);
        fast.offer(REJECTION);
        advance(Duration.ofMillis(500));
        assertTrue(fast.expire().get(0).text().contains("1 more like this in the last 500 ms on listener guarded"));
        assertNull(fast.offer(REJECTION).dueFirst(), "summarized once");
    }
}
