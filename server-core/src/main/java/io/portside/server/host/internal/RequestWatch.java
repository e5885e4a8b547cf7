package io.portside.server.host.internal;

/**
 * What the listener's {@link RequestWatchdog} knows of one request while its handler runs in this process: the
 * handler's thread, when it started, and what the watchdog has done about it. It hangs off its {@link Connection}
 * instead of being an entry of its own in the {@link io.portside.server.internal.HostClock}'s set: the watchdog finds it
 * through the revision's open connections, so a connection held idle for hours costs no clock entry (a map node each).
 *
 * <p>Once the handler has returned, its thread serves other requests: {@link #stop} and the watchdog's actions
 * exclude each other, so the watchdog never takes that thread's stack for this request, nor interrupts it.
 */
final class RequestWatch {

    /** What {@link #expire} did. */
    enum Expiry {
        /** The handler returned meanwhile: nothing done. */
        HANDLER_RETURNED,
        /** The connection closed by the host and the handler's thread interrupted. */
        CLOSED,
        /** A datagram (nothing of its own to close): the handler's thread interrupted. */
        INTERRUPTED
    }

    private final Thread thread = Thread.currentThread();
    private final long started = System.nanoTime();
    private boolean warned;       // the clock's thread only
    private boolean expired;      // the clock's thread only: acted on at the deadline (or its check failed), no more checks
    private boolean ended;        // guarded by this
    private boolean interrupted;  // guarded by this

    Thread thread() {
        return thread;
    }

    long started() {
        return started;
    }

    /** True once: the first time the watchdog finds it past request.warn. */
    boolean firstWarning() {
        boolean first = !warned;
        warned = true;
        return first;
    }

    boolean expired() {
        return expired;
    }

    /** No more checks for this request. */
    void drop() {
        expired = true;
    }

    /** The handler thread's stack now, or null when the handler has returned (the stack would be another request's). */
    synchronized String stackWhileRunning() {
        return ended ? null : RequestWatchdog.stackOf(thread);
    }

    /** At request.deadline: closes the connection and interrupts the handler's thread, unless the handler has returned. */
    synchronized Expiry expire(Connection c) {
        expired = true;
        if (ended) {
            return Expiry.HANDLER_RETURNED;
        }
        boolean closed = c.closeByHost(); // false for a datagram: nothing of its own to close
        thread.interrupt();
        interrupted = true;
        return closed ? Expiry.CLOSED : Expiry.INTERRUPTED;
    }

    /** The handler returned (on its own thread): an interrupt the watchdog sent goes with the request. */
    void stop() {
        boolean clear;
        synchronized (this) {
            ended = true;
            clear = interrupted;
        }
        if (clear) {
            Thread.interrupted(); // the thread goes back to its model (a pool, the serve loop) without the request's interrupt
        }
    }
}
