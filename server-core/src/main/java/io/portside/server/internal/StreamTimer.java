package io.portside.server.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * The deadlines of one stream connection, checked by the {@link HostClock}: while the handler waits in a read or a write
 * longer than a limit allows, the clock closes the connection, and the blocked call (and every one after it) fails with a
 * {@link SocketTimeoutException} that says which limit it was.
 *
 * <p>Two clocks run for reads. The socket-level one spans one read of the socket: the handler's own {@code timeout}, as
 * Python's per-{@code recv} timeout. The call-level one spans one read the handler asked for ({@link #callStarted}):
 * {@code rfile.readLine} waits for a whole line, so a client that trickles a byte now and then without ever ending the
 * line is idle, while one that sends a short line a minute is not. Only the handler's thread writes the wait marks; the
 * clock's thread reads them.
 */
final class StreamTimer implements HostClock.Watched {

    private volatile long firstByteFrom = System.nanoTime(); // the first.byte.timeout counts from here
    private final Runnable close;
    private volatile Duration handlerTimeout;   // null: none
    private volatile StreamLimits limits = StreamLimits.NONE;
    // The limits in nanoseconds, saturated (a "forever" such as Duration.ofMillis(Long.MAX_VALUE) overflows toNanos);
    // 0: none. Written with the Durations above, before the clock can see them.
    private volatile long handlerNanos;
    private volatile long idleNanos;
    private volatile long firstByteNanos;
    private volatile long writeNanos;
    private volatile long deadline;             // System.nanoTime() a whole phase (the TLS handshake) must end by; 0: none
    private volatile StreamTimeout deadlineKind;
    private volatile Duration deadlineWithin;
    private volatile long socketReadSince;      // System.nanoTime() a read of the socket began; 0: none running
    private volatile long callSince;            // a read the handler asked for began; 0: none running
    private volatile long writeSince;           // a write began; 0: none running
    private volatile long lastWaitEnded;        // the last read or write of the socket ended; 0: none yet (for the watchdog)
    private volatile boolean anyByteRead;
    private volatile StreamTimeout expired;
    private volatile String expiredAfter;
    private int callDepth;                      // handler thread only
    private boolean watched;                    // guarded by this

    StreamTimer(Runnable close) {
        this.close = close;
    }

    synchronized void handlerTimeout(Duration timeout) {
        this.handlerNanos = timeout == null ? 0 : StreamLimits.nanos(timeout);
        this.handlerTimeout = timeout;
        watchIfTimed();
    }

    Duration handlerTimeout() {
        return handlerTimeout;
    }

    StreamLimits limits() {
        return limits;
    }

    synchronized void limits(StreamLimits limits) {
        this.idleNanos = StreamLimits.nanos(limits.idle());
        this.firstByteNanos = StreamLimits.nanos(limits.firstByte());
        this.writeNanos = StreamLimits.nanos(limits.write());
        this.limits = limits;
        watchIfTimed();
    }

    private void watchIfTimed() {
        if (!watched && (handlerTimeout != null || limits.any() || deadline != 0)) {
            watched = true;
            HostClock.shared().watch(this);
        }
    }

    /** Bounds a whole phase of the connection (the TLS handshake): past it, the clock closes the connection. */
    synchronized void deadline(StreamTimeout kind, Duration within) {
        this.deadlineKind = kind;
        this.deadlineWithin = within;
        this.deadline = System.nanoTime() + StreamLimits.nanos(within);
        watchIfTimed();
    }

    void clearDeadline() {
        deadline = 0;
    }

    synchronized void stop() {
        if (watched) {
            watched = false;
            HostClock.shared().unwatch(this);
        }
    }

    /** How long the limit that closed the connection was, as its messages say it; null when none did. */
    String expiredAfter() {
        return expired == null ? null : expiredAfter;
    }

    /** The limit that closed the connection, or null. */
    StreamTimeout expired() {
        return expired;
    }

    /** Since when the handler has been waiting on the connection (a read or write it started); 0 when it is not. */
    long waitingSince() {
        long r = callSince != 0 ? callSince : socketReadSince;
        long w = writeSince;
        return r == 0 ? w : w == 0 ? r : Math.min(r, w);
    }

    /** When the handler's last read or write of the socket ended ({@link System#nanoTime()}); 0 when it has made none. */
    long lastWaitEnded() {
        return lastWaitEnded;
    }

    // ------------------------------------------------------------------ marks, on the handler's thread

    void callStarted() {
        if (callDepth++ == 0) {
            callSince = System.nanoTime();
        }
    }

    void callEnded() {
        if (callDepth > 0 && --callDepth == 0) {
            callSince = 0;
        }
    }

    void readStarted() {
        long now = System.nanoTime();
        socketReadSince = now;
        if (callDepth == 0) {
            callSince = now;
        }
    }

    /**
     * The client's first byte is still to come, counted from now: what came so far was a proxy's PROXY header, not the
     * client's. Called on the connection's thread, between reads.
     */
    void restartFirstByte() {
        firstByteFrom = System.nanoTime();
        anyByteRead = false;
    }

    void readEnded(int n) {
        lastWaitEnded = System.nanoTime(); // before the wait mark clears: a watcher never sees "not waiting" with a stale end
        socketReadSince = 0;
        if (callDepth == 0) {
            callSince = 0;
        }
        if (n > 0 && !anyByteRead) {
            anyByteRead = true;
        }
    }

    void writeStarted() {
        writeSince = System.nanoTime();
    }

    void writeEnded() {
        lastWaitEnded = System.nanoTime();
        writeSince = 0;
    }

    /** What a read or write that found the connection closed throws: the timeout, if one closed it. */
    IOException failure(ClosedChannelException closed, String op) {
        StreamTimeout t = expired;
        if (t == null) {
            return closed;
        }
        SocketTimeoutException e = t == StreamTimeout.HANDLER ? new SocketTimeoutException(op + " " + t.message(expiredAfter))
                : new HostTimeoutException(t, t.message(expiredAfter));
        e.initCause(closed);
        return e;
    }

    // ------------------------------------------------------------------ the clock's side

    @Override
    public boolean tick(long now) {
        if (expired != null) {
            return false;
        }
        StreamLimits l = limits;
        long read = socketReadSince;
        long call = callSince;
        long write = writeSince;
        long own = handlerNanos;
        long end = deadline;
        if (end != 0 && now - end >= 0) {
            expire(deadlineKind, deadlineWithin);
        } else if (read != 0 && !anyByteRead && past(now, firstByteFrom, firstByteNanos)) {
            expire(StreamTimeout.FIRST_BYTE, l.firstByte());
        } else if (past(now, call, idleNanos)) {
            expire(StreamTimeout.IDLE, l.idle());
        } else if (past(now, write, writeNanos)) {
            expire(StreamTimeout.WRITE, l.write());
        } else if (past(now, read, own) || past(now, write, own)) {
            expire(StreamTimeout.HANDLER, handlerTimeout);
        }
        return expired == null;
    }

    /** {@code since} (0: not waiting) is at least {@code limit} (0: none) ago. */
    private static boolean past(long now, long since, long limit) {
        return since != 0 && limit > 0 && now - since >= limit;
    }

    private void expire(StreamTimeout which, Duration after) {
        expiredAfter = which == StreamTimeout.HANDLER ? after.toString() : StreamLimits.text(after);
        expired = which;
        close.run();
    }
}
