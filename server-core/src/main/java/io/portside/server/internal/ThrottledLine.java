package io.portside.server.internal;

/**
 * One kind of log line of one listener, written at most {@code burst} times per 10 s: a flood of the same event (2,000
 * clients closed at a limit within a second) costs a counter increment each, not 2,000 log records, which even a log
 * limiter downstream would have to build, format and drop. The next line written says how many were left out
 * ({@link #leftOut}).
 */
public final class ThrottledLine {

    public static final long WINDOW_NANOS = 10_000_000_000L;

    private final int burst;
    private boolean started;    // guarded by this
    private long windowEnd;     // guarded by this
    private int written;        // guarded by this
    private long skipped;       // guarded by this

    public ThrottledLine(int burst) {
        this.burst = burst;
    }

    /** True when this event is to be written now; else it is counted as left out. */
    public synchronized boolean due(long now) {
        if (!started || now - windowEnd >= 0) {
            started = true;
            windowEnd = now + WINDOW_NANOS;
            written = 0;
        }
        if (written < burst) {
            written++;
            return true;
        }
        skipped++;
        return false;
    }

    /**
     * For the line being written: {@code " (and N more WHAT in the last 10 s)"} for those left out since the last one, or
     * nothing when none were; the count starts again.
     */
    public synchronized String leftOut(String what) {
        long s = skipped;
        skipped = 0;
        return s == 0 ? "" : " (and " + s + " more " + what + " in the last 10 s)";
    }
}
