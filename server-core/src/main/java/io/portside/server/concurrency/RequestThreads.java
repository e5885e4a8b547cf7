package io.portside.server.concurrency;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bookkeeping of a thread-per-request model, whatever kind of thread it starts: refuses work once closed or at its
 * bound, counts the requests running, and tracks the threads that {@link #close()} waits for.
 */
final class RequestThreads {

    /** Starts a thread that runs {@code work}; the model names it and chooses its kind. */
    @FunctionalInterface
    interface Starter {
        void start(Runnable work);
    }

    /** No bound on running requests. */
    static final int UNBOUNDED = Integer.MAX_VALUE;

    private final boolean waitOnClose;
    private final int maxRunning;
    private final String model;
    private final WorkerTracker tracker = new WorkerTracker();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;

    /** @param waitOnClose whether {@link #close()} waits for running requests (only then are threads tracked) */
    RequestThreads(boolean waitOnClose) {
        this(waitOnClose, UNBOUNDED, null);
    }

    /**
     * @param maxRunning requests that may run at once ({@link #UNBOUNDED} for no bound)
     * @param model      the model's name, for the message of a request refused at the bound
     */
    RequestThreads(boolean waitOnClose, int maxRunning, String model) {
        if (maxRunning < 1) {
            throw new IllegalArgumentException(model + " bound must be at least 1: " + maxRunning);
        }
        this.waitOnClose = waitOnClose;
        this.maxRunning = maxRunning;
        this.model = model;
    }

    /**
     * Runs {@code requestWork} on a thread from {@code starter}, counted while it runs.
     *
     * @throws RejectedExecutionException once closed, at the bound, or when no thread could be started ({@code what}
     *                                    names it)
     */
    void start(Runnable requestWork, Starter starter, String what) {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        // Counted before the check: dispatchers racing at the bound may all be refused, but never more than the bound run.
        if (active.incrementAndGet() > maxRunning) {
            active.decrementAndGet();
            throw new RejectedExecutionException(model + " full: " + maxRunning + " requests running");
        }
        Runnable counted = () -> {
            try {
                requestWork.run();
            } finally {
                active.decrementAndGet();
            }
        };
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

    /** Requests that may run at once; {@link #UNBOUNDED} for no bound. */
    int maxRunning() {
        return maxRunning;
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
