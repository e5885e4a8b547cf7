package io.portside.server.concurrency;

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
    private final RequestThreads threads;

    public ThreadPerRequest(boolean daemonThreads, boolean blockOnClose) {
        this(daemonThreads, blockOnClose, null);
    }

    /** Threads named {@code portside-<listener>-threading-<n>}; {@code listener} null for a plain server's names. */
    public ThreadPerRequest(boolean daemonThreads, boolean blockOnClose, String listener) {
        this.daemonThreads = daemonThreads;
        this.blockOnClose = blockOnClose;
        this.namePrefix = ThreadNames.prefix(listener, "threading");
        // Daemon threads are not waited for (Python's ThreadingMixIn), so they need no tracking.
        this.threads = new RequestThreads(blockOnClose && !daemonThreads);
    }

    @Override
    public Concurrency kind() {
        return Concurrency.THREADING;
    }

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
        return "threading" + (daemonThreads ? " (daemon)" : "") + (blockOnClose ? "" : " (no block on close)");
    }
}
