package io.portside.server.concurrency;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.portside.handler.api.Concurrency;

/**
 * Python's {@code ThreadingMixIn}: a new platform thread per request.
 *
 * <p>{@code daemonThreads} marks the threads daemon; {@code blockOnClose} makes {@link #close()} wait for
 * the non-daemon ones. Only running threads are tracked, so nothing grows with the number of requests.
 */
public final class ThreadPerRequest implements ConcurrencyModel {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final boolean daemonThreads;
    private final boolean blockOnClose;
    private final String namePrefix;
    private final WorkerTracker tracker = new WorkerTracker();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;

    public ThreadPerRequest(boolean daemonThreads, boolean blockOnClose) {
        this(daemonThreads, blockOnClose, null);
    }

    /** Threads named {@code portside-<listener>-threading-<n>}; {@code listener} null for a plain server's names. */
    public ThreadPerRequest(boolean daemonThreads, boolean blockOnClose, String listener) {
        this.daemonThreads = daemonThreads;
        this.blockOnClose = blockOnClose;
        this.namePrefix = ThreadNames.prefix(listener, "threading");
    }

    @Override
    public Concurrency kind() {
        return Concurrency.THREADING;
    }

    @Override
    public void dispatch(DispatchedRequest request) {
        execute(request::serve);
    }

    private void execute(Runnable requestWork) {
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
        Runnable work = blockOnClose && !daemonThreads ? tracker.track(counted) : counted;
        Thread t = new Thread(work, namePrefix + SEQUENCE.incrementAndGet());
        t.setDaemon(daemonThreads);
        active.incrementAndGet();
        try {
            t.start();
        } catch (Throwable e) {
            active.decrementAndGet();
            throw new RejectedExecutionException("cannot start a request thread: " + e, e);
        }
    }

    @Override
    public int activeCount() {
        return active.get();
    }

    /** Threads tracked for {@code blockOnClose}: only the running ones. */
    public int trackedThreads() {
        return tracker.size();
    }

    @Override
    public void close() {
        closed = true;
        if (blockOnClose) {
            tracker.joinAll();
        }
    }

    @Override
    public String toString() {
        return "threading" + (daemonThreads ? " (daemon)" : "") + (blockOnClose ? "" : " (no block on close)");
    }
}
