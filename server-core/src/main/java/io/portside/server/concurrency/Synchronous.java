package io.portside.server.concurrency;

import io.portside.handler.api.Concurrency;

/** One request at a time, on the serving thread. */
public final class Synchronous implements ConcurrencyModel {

    static final Synchronous INSTANCE = new Synchronous();

    private Synchronous() {
    }

    @Override
    public Concurrency kind() {
        return Concurrency.SYNC;
    }

    /** Serves the request on the calling thread: the serve loop takes the next one when it has ended. */
    @Override
    public void dispatch(DispatchedRequest request) {
        request.serve();
    }

    @Override
    public int activeCount() {
        return 0;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "sync";
    }
}
