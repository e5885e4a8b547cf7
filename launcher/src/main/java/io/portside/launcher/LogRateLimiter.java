package io.portside.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;

/**
 * Decides which log lines print. Per {@link LogKind}, a window opens with the first line of that kind, which always
 * prints, as do the next lines up to the burst; the rest of the window's lines are counted. When the window has ended
 * its count becomes one {@link LogSummary}: handed out with the next line of that kind, or by {@link #expire} (called
 * by a timer, so a burst that then goes silent is summarized too), which also forgets ended windows.
 *
 * <p>Memory is bounded: at most {@code maxKinds} windows are open; lines of further kinds share one "other" window
 * until some close. Thread-safe; the work under the lock is a map lookup and a counter.
 */
final class LogRateLimiter {

    /** The shared window of kinds beyond {@code maxKinds}. */
    static final LogKind OTHER = new LogKind(null, "io.portside.launcher", Level.INFO, "(other kinds)");

    /** What to do with one line, and the summary of its kind's ended window to log before it, if one is due. */
    record Verdict(boolean print, LogSummary dueFirst) {
        static final Verdict PRINT = new Verdict(true, null);
        static final Verdict COUNT = new Verdict(false, null);
    }

    private final LogLimits limits;
    private final long windowNanos;
    private final String windowText;
    private final LongSupplier nanoClock;
    private final Map<LogKind, Window> windows = new HashMap<>();
    private Window other;

    LogRateLimiter(LogLimits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.windowNanos = limits.window().toNanos();
        this.windowText = limits.windowText();
        this.nanoClock = nanoClock;
    }

    synchronized Verdict offer(LogKind kind) {
        long now = nanoClock.getAsLong();
        Window w = windows.get(kind);
        if (w != null) {
            return w.offer(kind, kind.level(), now);
        }
        if (windows.size() < limits.maxKinds()) {
            windows.put(kind, new Window(now, kind.level()));
            return Verdict.PRINT; // the first line of its kind
        }
        if (other == null) {
            other = new Window(now, kind.level());
            return Verdict.PRINT;
        }
        return other.offer(OTHER, kind.level(), now);
    }

    /** Summaries of the windows that have ended with lines held back; ended windows are forgotten. */
    synchronized List<LogSummary> expire() {
        return close(nanoClock.getAsLong(), false);
    }

    /** Summaries of every window holding lines back, ended or not (the host is stopping); forgets every window. */
    synchronized List<LogSummary> expireAll() {
        return close(nanoClock.getAsLong(), true);
    }

    private List<LogSummary> close(long now, boolean all) {
        List<LogSummary> due = new ArrayList<>();
        for (Iterator<Map.Entry<LogKind, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<LogKind, Window> e = it.next();
            if (all || e.getValue().ended(now)) {
                e.getValue().addSummary(e.getKey(), due);
                it.remove();
            }
        }
        if (other != null && (all || other.ended(now))) {
            other.addSummary(OTHER, due);
            other = null;
        }
        return due;
    }

    /** Windows open now (for tests of the bound). */
    synchronized int openWindows() {
        return windows.size() + (other == null ? 0 : 1);
    }

    /** One kind's current window. */
    private final class Window {
        private long start;
        private int printed;
        private long counted;
        private Level countedLevel;

        Window(long start, Level level) {
            this.start = start;
            this.printed = 1;
            this.countedLevel = level;
        }

        boolean ended(long now) {
            return now - start >= windowNanos;
        }

        Verdict offer(LogKind kind, Level level, long now) {
            LogSummary due = null;
            if (ended(now)) {
                due = summary(kind);
                start = now;
                printed = 0;
                counted = 0;
                countedLevel = level;
            }
            if (printed < limits.burst()) {
                printed++;
                return due == null ? Verdict.PRINT : new Verdict(true, due);
            }
            counted++;
            if (level.intValue() > countedLevel.intValue()) {
                countedLevel = level; // the "other" window summarizes at its most severe line's level
            }
            return Verdict.COUNT;
        }

        private LogSummary summary(LogKind kind) {
            return counted == 0 ? null : new LogSummary(kind, counted, countedLevel, windowText);
        }

        void addSummary(LogKind kind, List<LogSummary> into) {
            LogSummary s = summary(kind);
            if (s != null) {
                into.add(s);
            }
        }
    }
}
