package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

import io.portside.server.internal.HostClock;
import io.portside.server.internal.StreamLimits;

/**
 * The watchdog of one request while its handler runs in this process ({@code request.warn}, {@code request.deadline}):
 * the {@link HostClock} asks it each tick how long the handler has run without waiting on its client. Past
 * {@code request.warn} it logs one line with the handler thread's stack, once per request; past
 * {@code request.deadline} it closes the connection, interrupts the thread and counts the request as overdue.
 *
 * <p>Time the handler spends waiting on its client (a read or write of the connection) does not count: the client
 * time limits govern it. Java cannot stop a thread: the interrupt reaches only code that checks for it, so a handler
 * that spins without checking runs on until it returns, its connection already closed (docs/limits.md).
 */
final class RequestWatch implements HostClock.Watched {

    private static final System.Logger LOG = System.getLogger("io.portside.host");
    /** Enough of a stack to see where a handler spins, without a screenful per line. */
    private static final int STACK_FRAMES = 30;
    private static final String CLOSED = "Listener {0}: closed the connection from {1} at its request.deadline of {2}: handler {3}"
            + " ran {4} without waiting on its client; interrupted its thread";
    private static final String INTERRUPTED = "Listener {0}: the datagram from {1} passed its request.deadline of {2}: handler {3}"
            + " ran {4}; interrupted its thread";

    private final Connection connection;
    private final HandlerRevision revision;
    private final Supplier<ListenerSpec> spec;
    private final ListenerCounters counters;
    private final Lines lines;
    private final Thread thread = Thread.currentThread();
    private final long started = System.nanoTime();
    private boolean warned;       // the clock's thread only
    private boolean ended;        // guarded by this
    private boolean interrupted;  // guarded by this

    /**
     * A listener's two kinds of watchdog line, each written 5 times per 10 s at most: requests that cross a limit together
     * (a slow database) cost the clock a few stack walks per listener, not one each, and never delay the client limits.
     */
    static final class Lines {
        final ThrottledLine warnings = new ThrottledLine(5);
        final ThrottledLine deadlines = new ThrottledLine(5);
    }

    private RequestWatch(Connection connection, HandlerRevision revision, Supplier<ListenerSpec> spec, ListenerCounters counters,
            Lines lines) {
        this.connection = connection;
        this.revision = revision;
        this.spec = spec;
        this.counters = counters;
        this.lines = lines;
    }

    /** Watches the handler about to run on this thread; null when the listener watches no requests. */
    static RequestWatch start(Connection c, HandlerRevision revision, Supplier<ListenerSpec> spec, ListenerCounters counters,
            Lines lines) {
        if (!spec.get().timeLimits().watchesRequests()) {
            return null;
        }
        RequestWatch w = new RequestWatch(c, revision, spec, counters, lines);
        HostClock.shared().watch(w);
        return w;
    }

    /** The handler returned (on its own thread): no more checks, and an interrupt the watchdog sent goes with the request. */
    static void stop(RequestWatch w) {
        if (w == null) {
            return;
        }
        HostClock.shared().unwatch(w);
        boolean clear;
        synchronized (w) {
            w.ended = true;
            clear = w.interrupted;
        }
        if (clear) {
            Thread.interrupted(); // the thread goes back to its model (a pool, the serve loop) without the request's interrupt
        }
    }

    @Override
    public boolean tick(long now) {
        long since = connection.busySince(started);
        if (since == 0) {
            return true; // waiting on its client: the client time limits apply
        }
        long ran = now - since;
        TimeLimits limits = spec.get().timeLimits();
        if (!warned && past(ran, limits.requestWarn())) {
            warned = true;
            warn(ran, limits.requestWarn());
        }
        if (past(ran, limits.requestDeadline())) {
            expire(ran, limits.requestDeadline());
            return false; // acted on once
        }
        return true;
    }

    private static boolean past(long ran, Duration limit) {
        return !limit.isZero() && ran >= StreamLimits.nanos(limit);
    }

    /** One line with the stack, taken while the request still runs, so it is never the stack of the thread's next request. */
    private void warn(long ran, Duration limit) {
        if (!lines.warnings.due(System.nanoTime())) {
            return;
        }
        String stack;
        synchronized (this) {
            if (ended) {
                return;
            }
            stack = stackOf(thread);
        }
        LOG.log(Level.WARNING, "Listener {0}: handler {1} has run for {2} on the request from {3} without waiting on its client"
                + " (request.warn is {4}){7}; thread {5}:{6}", spec.get().name(), revision.candidate(), seconds(ran),
                connection.clientAddress(), seconds(StreamLimits.nanos(limit)), thread.getName().isEmpty() ? thread.toString()
                : thread.getName(), stack, lines.warnings.leftOut("requests past request.warn"));
    }

    /** Closes, interrupts, counts; nothing when the handler has returned meanwhile (its thread serves another request). */
    private void expire(long ran, Duration limit) {
        boolean closed;
        synchronized (this) {
            if (ended) {
                return;
            }
            closed = connection.closeByHost(); // false for a datagram: nothing of its own to close
            thread.interrupt();
            interrupted = true;
        }
        counters.onOverdue();
        if (lines.deadlines.due(System.nanoTime())) {
            LOG.log(Level.WARNING, (closed ? CLOSED : INTERRUPTED) + "{5}", spec.get().name(), connection.clientAddress(),
                    seconds(StreamLimits.nanos(limit)), revision.candidate(), seconds(ran), lines.deadlines.leftOut("requests at request.deadline"));
        }
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static String stackOf(Thread t) {
        StackTraceElement[] frames = t.getStackTrace();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < frames.length && i < STACK_FRAMES; i++) {
            b.append("\n\tat ").append(frames[i]);
        }
        if (frames.length > STACK_FRAMES) {
            b.append("\n\t... ").append(frames.length - STACK_FRAMES).append(" more");
        }
        return b.toString();
    }
}
