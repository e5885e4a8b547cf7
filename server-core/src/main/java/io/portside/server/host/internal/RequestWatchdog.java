package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.portside.server.internal.HostClock;
import io.portside.server.internal.StreamLimits;
import io.portside.server.internal.ThrottledLine;

/**
 * The watchdog of a listener's requests while their handlers run in this process ({@code request.warn},
 * {@code request.deadline}): one entry in the {@link HostClock}'s set for the whole listener, while any request is
 * watched, which each tick goes over the open connections of the revisions with watched requests and asks how long
 * each handler has run without waiting on its client ({@link RequestWatch} holds each request's part). Past
 * {@code request.warn} it logs one line with the handler thread's stack, once per request; past
 * {@code request.deadline} it closes the connection, interrupts the thread and counts the request as overdue.
 *
 * <p>Time the handler spends waiting on its client (a read or write of the connection) does not count: the client
 * time limits govern it. Java cannot stop a thread: the interrupt reaches only code that checks for it, so a handler
 * that spins without checking runs on until it returns, its connection already closed (docs/limits.md).
 *
 * <p>Each kind of line is written 5 times per 10 s at most: requests that cross a limit together (a slow database)
 * cost the clock a few stack walks per listener, not one each, and never delay the client limits.
 */
final class RequestWatchdog implements HostClock.Watched {

    private static final System.Logger LOG = System.getLogger("io.portside.host");
    /** Enough of a stack to see where a handler spins, without a screenful per line. */
    private static final int STACK_FRAMES = 30;
    private static final String CLOSED = "Listener {0}: closed the connection from {1} at its request.deadline of {2}: handler {3}"
            + " ran {4} without waiting on its client; interrupted its thread";
    private static final String INTERRUPTED = "Listener {0}: the datagram from {1} passed its request.deadline of {2}: handler {3}"
            + " ran {4}; interrupted its thread";

    private final Supplier<ListenerSpec> spec;
    private final ListenerCounters counters;
    private final ThrottledLine warnings = new ThrottledLine(5);
    private final ThrottledLine deadlines = new ThrottledLine(5);
    /** The revisions with watched requests, and how many each; registered with the clock while not empty. */
    private final Map<HandlerRevision, Integer> watchedOn = new HashMap<>(); // guarded by this

    RequestWatchdog(Supplier<ListenerSpec> spec, ListenerCounters counters) {
        this.spec = spec;
        this.counters = counters;
    }

    /** Watches the handler about to run on this thread for {@code c}; null when the listener watches no requests. */
    RequestWatch start(Connection c, HandlerRevision revision) {
        if (!spec.get().timeLimits().watchesRequests()) {
            return null;
        }
        RequestWatch w = new RequestWatch();
        c.watch(w);
        synchronized (this) {
            if (watchedOn.isEmpty()) {
                HostClock.shared().watch(this);
            }
            watchedOn.merge(revision, 1, Integer::sum);
        }
        return w;
    }

    /** The handler returned (on its own thread): no more checks, and an interrupt the watchdog sent goes with the request. */
    void stop(Connection c, HandlerRevision revision, RequestWatch w) {
        if (w == null) {
            return;
        }
        synchronized (this) {
            watchedOn.computeIfPresent(revision, (r, n) -> n == 1 ? null : n - 1);
            if (watchedOn.isEmpty()) {
                HostClock.shared().unwatch(this);
            }
        }
        c.watch(null);
        w.stop();
    }

    /** Revisions with watched requests now (for tests). */
    synchronized int watchedRevisions() {
        return watchedOn.size();
    }

    @Override
    public boolean tick(long now) {
        List<HandlerRevision> revisions;
        synchronized (this) {
            revisions = List.copyOf(watchedOn.keySet());
        }
        TimeLimits limits = spec.get().timeLimits();
        for (HandlerRevision r : revisions) {
            r.forEachOpen(c -> {
                RequestWatch w = c.watch();
                if (w == null || w.expired()) {
                    return;
                }
                try {
                    check(c, r, w, now, limits);
                } catch (RuntimeException e) { // one broken check must not stop the watchdog for the listener's other requests
                    w.drop();
                    LOG.log(Level.WARNING, "A timed check failed and was dropped: " + e, e);
                }
            });
        }
        return true; // leaves the clock in stop(), with its last request
    }

    private void check(Connection c, HandlerRevision revision, RequestWatch w, long now, TimeLimits limits) {
        long since = c.busySince(w.started());
        if (since == 0) {
            return; // waiting on its client: the client time limits apply
        }
        long ran = now - since;
        if (past(ran, limits.requestWarn()) && w.firstWarning()) {
            warn(c, revision, w, ran, limits.requestWarn());
        }
        if (past(ran, limits.requestDeadline())) {
            expire(c, revision, w, ran, limits.requestDeadline());
        }
    }

    private static boolean past(long ran, Duration limit) {
        return !limit.isZero() && ran >= StreamLimits.nanos(limit);
    }

    /** One line with the stack, taken while the request still runs, so it is never the stack of the thread's next request. */
    private void warn(Connection c, HandlerRevision revision, RequestWatch w, long ran, Duration limit) {
        if (!warnings.due(System.nanoTime())) {
            return;
        }
        String stack = w.stackWhileRunning();
        if (stack == null) {
            return;
        }
        Thread thread = w.thread();
        LOG.log(Level.WARNING, "Listener {0}: handler {1} has run for {2} on the request from {3} without waiting on its client"
                + " (request.warn is {4}){7}; thread {5}:{6}", spec.get().name(), revision.candidate(), seconds(ran),
                c.clientAddress(), seconds(StreamLimits.nanos(limit)), thread.getName().isEmpty() ? thread.toString()
                : thread.getName(), stack, warnings.leftOut("requests past request.warn"));
    }

    /** Closes, interrupts, counts; nothing when the handler has returned meanwhile (its thread serves another request). */
    private void expire(Connection c, HandlerRevision revision, RequestWatch w, long ran, Duration limit) {
        RequestWatch.Expiry done = w.expire(c);
        if (done == RequestWatch.Expiry.HANDLER_RETURNED) {
            return;
        }
        counters.onOverdue();
        if (deadlines.due(System.nanoTime())) {
            LOG.log(Level.WARNING, (done == RequestWatch.Expiry.CLOSED ? CLOSED : INTERRUPTED) + "{5}", spec.get().name(),
                    c.clientAddress(), seconds(StreamLimits.nanos(limit)), revision.candidate(), seconds(ran),
                    deadlines.leftOut("requests at request.deadline"));
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
