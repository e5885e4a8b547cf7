package io.portside.server.host.internal;

import io.portside.server.concurrency.ConcurrencyModel;

/** Sync, threads, a pool or virtual threads: the plain-Java models, serving connections in this JVM. */
final class InProcessConcurrency implements HostedConcurrency {

    private final ConcurrencyModel model;

    InProcessConcurrency(ConcurrencyModel model) {
        this.model = model;
    }

    @Override
    public void dispatch(Connection c) {
        model.dispatch(c);
    }

    @Override
    public int activeCount() {
        return model.activeCount();
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return model.toString();
    }
}
