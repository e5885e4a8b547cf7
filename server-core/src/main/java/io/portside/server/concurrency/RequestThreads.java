package io.portside.server.concurrency;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bookkeeping of a thread-per-request model, whatever kind of thread it starts: refuses work once closed, counts
 * the requests running, and tracks the threads that {@link #close()} waits for.
 */
final class RequestThreads {

    /** Starts a thread that runs {@code work}; the model names it and chooses its kind. */
    @FunctionalInterface
    interface Starter {
        void start(Runnable work);
    }

    private final boolean waitOnClose;
    private final WorkerTracker tracker = new WorkerTracker();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;

    /** @param waitOnClose whether {@link #close()} waits for running requests (only then are threads tracked) */
    RequestThreads(boolean waitOnClose) {
        this.waitOnClose = waitOnClose;
    }

    /**
     * Runs {@code requestWork} on a thread from {@code starter}, counted while it runs.
     *
     * @throws RejectedExecutionException once closed, or when no thread could be started ({@code what} names it)
     */
    void start(Runnable requestWork, Starter starter, String what) {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        Runnable counted = () -> {
            try {
                requestWork.run();
            } finally {
                active.decrementAndGet();
            }
        };
        active.incrementAndGet();
        try {
            starter.start(waitOnClose ? tracker.track(counted) : counted);
        } catch (Throwable e) {
            active.decrementAndGet();
            throw new RejectedExecutionException("cannot start " + what + ": " + e, e);
        }
    }

    int activeCount() {
        return active.get();
    }

    int trackedThreads() {
        return tracker.size();
    }

    /** Refuses further work and, if asked to at construction, waits for the running requests (never for the caller). */
    void close() {
        closed = true;
        if (waitOnClose) {
            tracker.joinAll();
        }
    }
}
