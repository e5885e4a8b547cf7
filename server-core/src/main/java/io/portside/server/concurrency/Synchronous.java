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

    @Override
    public boolean isInline() {
        return true;
    }

    /** Runs the work on the calling thread (servers do not call this for inline models). */
    @Override
    public void execute(Runnable requestWork) {
        requestWork.run();
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
