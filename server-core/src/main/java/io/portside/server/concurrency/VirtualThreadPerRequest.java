package io.portside.server.concurrency;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.portside.handler.api.Concurrency;

/** A new virtual thread per request: blocking handler code at the cost of a small heap object per connection. */
public final class VirtualThreadPerRequest implements ConcurrencyModel {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final boolean blockOnClose;
    private final WorkerTracker tracker = new WorkerTracker();
    private final AtomicInteger active = new AtomicInteger();
    private final Thread.Builder builder = Thread.ofVirtual();
    private final String namePrefix;
    private volatile boolean closed;

    public VirtualThreadPerRequest(boolean blockOnClose) {
        this(blockOnClose, null);
    }

    /** Threads named {@code portside-<listener>-virtual-<n>}; {@code listener} null for a plain server's names. */
    public VirtualThreadPerRequest(boolean blockOnClose, String listener) {
        this.blockOnClose = blockOnClose;
        this.namePrefix = ThreadNames.prefix(listener, "virtual");
    }

    @Override
    public Concurrency kind() {
        return Concurrency.VIRTUAL;
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
        active.incrementAndGet();
        try {
            builder.name(namePrefix + SEQUENCE.incrementAndGet())
                    .start(blockOnClose ? tracker.track(counted) : counted);
        } catch (Throwable e) {
            active.decrementAndGet();
            throw new RejectedExecutionException("cannot start a virtual thread: " + e, e);
        }
    }

    @Override
    public int activeCount() {
        return active.get();
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
        return "virtual";
    }
}
