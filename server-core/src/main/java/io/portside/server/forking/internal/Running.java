package io.portside.server.forking.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;

import io.portside.server.concurrency.TransferredRequest;
import io.portside.server.forking.RunningRequest;

/**
 * One request sent to one worker. It completes once both sides are through: the dispatcher has handed the request
 * over (released the server's copy) and the worker has reported its end (or died), in either order.
 */
final class Running implements RunningRequest {

    private static final System.Logger LOG = System.getLogger("io.portside.server.forking");

    final WorkerProcess worker;
    final TransferredRequest transfer;
    final long id;
    private final AtomicInteger parties = new AtomicInteger(2);
    private volatile boolean abandoned;
    private volatile Throwable failure;

    Running(WorkerProcess worker, TransferredRequest transfer, long id) {
        this.worker = worker;
        this.transfer = transfer;
        this.id = id;
    }

    /** The dispatcher handed the request over. */
    void handed() {
        if (parties.decrementAndGet() == 0) {
            complete();
        }
    }

    /** Sending to the worker failed: the request is still the dispatcher's, to send elsewhere. */
    void abandon() {
        abandoned = true;
    }

    /** The worker reported the end of the request ({@code failure}: an Exception for handleError, or null), or died. */
    void ended(Throwable failure) {
        if (abandoned) {
            return;
        }
        this.failure = failure;
        if (parties.decrementAndGet() == 0) {
            complete();
        }
    }

    private void complete() {
        try {
            transfer.finished(failure);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "Ending " + transfer + " failed", e);
        }
    }

    @Override
    public ProcessHandle worker() {
        return worker.handle();
    }

    @Override
    public void abort() {
        worker.abort(this);
    }

    @Override
    public String toString() {
        return transfer + " in worker " + worker;
    }
}
