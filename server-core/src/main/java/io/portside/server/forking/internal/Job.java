package io.portside.server.forking.internal;

import java.io.FileDescriptor;
import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

import io.portside.server.concurrency.DispatchedRequest;
import io.portside.server.forking.RunningRequest;

/**
 * One request from the moment a forking model takes it: it may wait in its pool's queue for a worker that is starting,
 * then goes to a worker ({@link Running}: one attempt per worker; a worker that dies before taking it leads to another).
 * The only class that talks to the server's request object.
 */
final class Job implements RunningRequest {

    private static final System.Logger LOG = System.getLogger("io.portside.server.forking");

    private final Dispatcher dispatcher;
    private final Pool pool;
    private final DispatchedRequest transfer;
    private final long id;
    private final byte[] frame;
    private final FileDescriptor fd;
    private final long deadlineNanos;
    // Guarded by the supervisor's lock.
    private boolean queued;
    private ScheduledFuture<?> expiry;
    private volatile Running attempt;

    /**
     * @param frame the STREAM or DATAGRAM frame a worker gets
     * @param fd    the connection's descriptor, sent with the frame; null for a datagram
     */
    Job(Dispatcher dispatcher, Pool pool, DispatchedRequest transfer, long id, byte[] frame, FileDescriptor fd, long deadlineNanos) {
        this.dispatcher = dispatcher;
        this.pool = pool;
        this.transfer = transfer;
        this.id = id;
        this.frame = frame;
        this.fd = fd;
        this.deadlineNanos = deadlineNanos;
    }

    Pool pool() {
        return pool;
    }

    long id() {
        return id;
    }

    byte[] frame() {
        return frame;
    }

    FileDescriptor fd() {
        return fd;
    }

    /** How long it may still wait for a worker; zero or less: no longer. */
    long nanosLeft() {
        return deadlineNanos - System.nanoTime();
    }

    // ------------------------------------------------------------------ queue state (lock held)

    boolean isQueued() {
        return queued;
    }

    /** Now waiting in its pool's queue, until a worker takes it or {@code expiry} refuses it. */
    void queued(ScheduledFuture<?> expiry) {
        queued = true;
        this.expiry = expiry;
    }

    /** Out of the queue: a worker takes it, or it ends without one. */
    void dequeued() {
        queued = false;
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
    }

    /** Its deadline passed: true if it was still queued (it is out of the queue now, and to be refused). */
    boolean expired() {
        if (!queued) {
            return false;
        }
        queued = false;
        return true;
    }

    /** The worker now serving it. */
    void assigned(Running running) {
        attempt = running;
    }

    /** The attempt under way, or null. */
    Running attempt() {
        return attempt;
    }

    // ------------------------------------------------------------------ the server's side (no lock)

    /** A worker has the request: the server releases its own copy. */
    void handedOver() {
        transfer.handedOver();
    }

    /** The worker is done with it, or gone; {@code failure} is an Exception for handleError, or null. */
    void finished(Throwable failure) {
        try {
            transfer.finished(failure);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "Ending " + transfer + " failed", e);
        }
    }

    /** No worker will serve it. */
    void refused(String reason) {
        transfer.refused(new RejectedExecutionException(reason));
    }

    @Override
    public ProcessHandle worker() {
        Running r = attempt;
        return r == null ? null : r.worker().handle();
    }

    @Override
    public void abort() {
        dispatcher.abort(this);
    }

    @Override
    public String toString() {
        return transfer.toString();
    }
}
