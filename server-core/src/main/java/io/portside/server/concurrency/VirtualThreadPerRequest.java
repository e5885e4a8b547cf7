package io.portside.server.concurrency;

import java.util.concurrent.atomic.AtomicLong;

import io.portside.handler.api.Concurrency;

/** A new virtual thread per request: blocking handler code at the cost of a small heap object per connection. */
public final class VirtualThreadPerRequest implements ConcurrencyModel {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final RequestThreads threads;
    private final Thread.Builder builder = Thread.ofVirtual();
    private final String namePrefix;

    public VirtualThreadPerRequest(boolean blockOnClose) {
        this(blockOnClose, null);
    }

    /** Threads named {@code portside-<listener>-virtual-<n>}; {@code listener} null for a plain server's names. */
    public VirtualThreadPerRequest(boolean blockOnClose, String listener) {
        this.threads = new RequestThreads(blockOnClose);
        this.namePrefix = ThreadNames.prefix(listener, "virtual");
    }

    @Override
    public Concurrency kind() {
        return Concurrency.VIRTUAL;
    }

    @Override
    public void dispatch(DispatchedRequest request) {
        threads.start(request::serve, work -> builder.name(namePrefix + SEQUENCE.incrementAndGet()).start(work),
                "a virtual thread");
    }

    @Override
    public int activeCount() {
        return threads.activeCount();
    }

    @Override
    public void close() {
        threads.close();
    }

    @Override
    public String toString() {
        return "virtual";
    }
}
