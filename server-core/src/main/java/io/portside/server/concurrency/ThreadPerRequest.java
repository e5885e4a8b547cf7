package io.portside.server.concurrency;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import io.portside.handler.api.Concurrency;

/**
 * Python's {@code ThreadingMixIn}: a new platform thread per request.
 *
 * <p>{@code daemonThreads} marks the threads daemon; {@code blockOnClose} makes {@link #close()} wait for
 * the non-daemon ones. Only running threads are tracked, so nothing grows with the number of requests.
 *
 * <p>Unbounded by default, as in Python. Given {@code maxRequests}, at most that many requests run at once: over it
 * {@link #dispatch} rejects the request as a full {@link BoundedPool} does, so the server closes the connection at once
 * (the client reads EOF right after connecting) and logs it, or drops the datagram.
 */
public final class ThreadPerRequest implements ConcurrencyModel {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final boolean daemonThreads;
    private final boolean blockOnClose;
    private final String namePrefix;
    private final RequestThreads threads;

    public ThreadPerRequest(boolean daemonThreads, boolean blockOnClose) {
        this(daemonThreads, blockOnClose, null);
    }

    /** Threads named {@code portside-<listener>-threading-<n>}; {@code listener} null for a plain server's names. */
    public ThreadPerRequest(boolean daemonThreads, boolean blockOnClose, String listener) {
        this(daemonThreads, blockOnClose, listener, RequestThreads.UNBOUNDED);
    }

    /**
     * As {@link #ThreadPerRequest(boolean, boolean, String)}, with at most {@code maxRequests} requests running at once
     * (so at most that many request threads): over it {@link #dispatch} throws {@link RejectedExecutionException}.
     *
     * @throws IllegalArgumentException if {@code maxRequests} is below 1
     * @since 2.1
     */
    public ThreadPerRequest(boolean daemonThreads, boolean blockOnClose, String listener, int maxRequests) {
        this.daemonThreads = daemonThreads;
        this.blockOnClose = blockOnClose;
        this.namePrefix = ThreadNames.prefix(listener, "threading");
        // Daemon threads are not waited for (Python's ThreadingMixIn), so they need no tracking.
        this.threads = new RequestThreads(blockOnClose && !daemonThreads, maxRequests, "threading");
    }

    @Override
    public Concurrency kind() {
        return Concurrency.THREADING;
    }

    /** @throws RejectedExecutionException when closed, or when {@code maxRequests} requests are running */
    @Override
    public void dispatch(DispatchedRequest request) {
        threads.start(request::serve, work -> {
            Thread t = new Thread(work, namePrefix + SEQUENCE.incrementAndGet());
            t.setDaemon(daemonThreads);
            t.start();
        }, "a request thread");
    }

    @Override
    public int activeCount() {
        return threads.activeCount();
    }

    /**
     * Requests that may run at once; {@link Integer#MAX_VALUE} when unbounded.
     *
     * @since 2.1
     */
    public int maxRequests() {
        return threads.maxRunning();
    }

    /** Threads tracked for {@code blockOnClose}: only the running ones. */
    public int trackedThreads() {
        return threads.trackedThreads();
    }

    @Override
    public void close() {
        threads.close();
    }

    @Override
    public String toString() {
        return "threading" + (daemonThreads ? " (daemon)" : "") + (blockOnClose ? "" : " (no block on close)")
                + (maxRequests() == RequestThreads.UNBOUNDED ? "" : " (max " + maxRequests() + ")");
    }
}
