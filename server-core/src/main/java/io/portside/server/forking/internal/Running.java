package io.portside.server.forking.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One attempt to serve a {@link Job} on one worker. It completes once both sides are through: the dispatcher has sent
 * the request and handed it over (released the server's copy), and the worker has reported its end or died, in either
 * order. If sending fails, the attempt is abandoned and the job goes to another worker.
 */
final class Running {

    private final Job job;
    private final WorkerProcess worker;
    private final AtomicInteger parties = new AtomicInteger(2);
    private volatile boolean abandoned;
    private volatile Throwable failure;

    Running(Job job, WorkerProcess worker) {
        this.job = job;
        this.worker = worker;
    }

    Job job() {
        return job;
    }

    WorkerProcess worker() {
        return worker;
    }

    long id() {
        return job.id();
    }

    /** The dispatcher sent the request and handed it over. */
    void handed() {
        if (parties.decrementAndGet() == 0) {
            job.finished(failure);
        }
    }

    /** Sending failed: the request is still the dispatcher's, to send elsewhere. */
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
            job.finished(this.failure);
        }
    }

    @Override
    public String toString() {
        return job + " in worker " + worker;
    }
}
