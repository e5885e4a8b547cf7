package io.portside.server.host.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * The virtual-thread model on a datagram listener: a datagram taken by a socket's receiving thread is served right
 * there ({@link InlineReceiver}), one datagram after another with a fresh handler each, and only datagrams taken while
 * that thread is held by a long request (by the relay) get a virtual thread of their own ({@code threads}). A datagram's
 * request is short by nature (no client to wait for), so most never leave the thread that received them.
 */
final class InlineDatagrams implements HostedConcurrency {

    private final HostedConcurrency threads;
    private volatile boolean closed;

    InlineDatagrams(HostedConcurrency threads) {
        this.threads = threads;
    }

    @Override
    public void dispatch(Connection c) {
        InlineReceiver receiver = InlineReceiver.current();
        if (receiver == null) {
            threads.dispatch(c);
            return;
        }
        if (closed) {
            throw new RejectedExecutionException("the listener's model is closed");
        }
        receiver.run(c::serve);
    }

    /** Requests on virtual threads; those running inline are not counted (they hold nothing the model would release). */
    @Override
    public int activeCount() {
        return threads.activeCount();
    }

    @Override
    public void close() {
        closed = true;
        threads.close();
    }

    @Override
    public boolean awaitTermination(Duration limit) {
        return threads.awaitTermination(limit);
    }

    @Override
    public String toString() {
        return threads.toString();
    }
}
