package io.portside.server.forking.internal;

import java.io.FileDescriptor;
import java.util.concurrent.ScheduledFuture;

import io.portside.server.concurrency.DispatchedRequest;
import io.portside.server.forking.RunningRequest;

/**
 * One request from the moment a forking model takes it: it may wait in its pool's queue for a worker that is starting,
 * then goes to a worker ({@link Running}: one attempt per worker; a worker that dies before taking it leads to another).
 */
final class Job implements RunningRequest {

    final Supervisor supervisor;
    final Pool pool;
    final DispatchedRequest transfer;
    final long id;
    final byte[] frame;
    final FileDescriptor fd;
    final long deadlineNanos;
    // Guarded by the supervisor's lock.
    boolean queued;
    /** Refused or aborted while queued: no worker will take it. */
    boolean over;
    ScheduledFuture<?> expiry;
    volatile Running attempt;

    Job(Supervisor supervisor, Pool pool, DispatchedRequest transfer, long id, byte[] frame, FileDescriptor fd, long deadlineNanos) {
        this.supervisor = supervisor;
        this.pool = pool;
        this.transfer = transfer;
        this.id = id;
        this.frame = frame;
        this.fd = fd;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public ProcessHandle worker() {
        Running r = attempt;
        return r == null ? null : r.worker.handle();
    }

    @Override
    public void abort() {
        supervisor.abort(this);
    }

    @Override
    public String toString() {
        return transfer.toString();
    }
}
