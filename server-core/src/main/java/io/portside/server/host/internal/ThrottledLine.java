package io.portside.server.host.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of log line of one listener, written at most once per window: a flood of the same event (2,000 clients closed
 * at a limit within a second) costs one counter increment each, not 2,000 log records, which even a log limiter
 * downstream would have to build, format and drop. The next line written says how many were left out.
 */
final class ThrottledLine {

    static final long WINDOW_NANOS = 10_000_000_000L;

    private final AtomicLong nextDue = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong skipped = new AtomicLong();

    /** True when this event is to be written now; else it is counted as left out. */
    boolean due(long now) {
        long due = nextDue.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && nextDue.compareAndSet(due, now + WINDOW_NANOS)) {
            return true;
        }
        skipped.incrementAndGet();
        return false;
    }

    /** How many were left out since the last line written; read once by the line that is written. */
    long takeSkipped() {
        return skipped.getAndSet(0);
    }
}
