package io.portside.server.host.internal;

import io.portside.handler.api.Concurrency;
import io.portside.server.concurrency.BoundedPool;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.concurrency.ThreadPerRequest;
import io.portside.server.concurrency.VirtualThreadPerRequest;

/**
 * A listener's concurrency choice, as configured. Hosted models do not block the listener's close on running
 * requests: the listener drains them itself, with a deadline.
 */
record ConcurrencySpec(Concurrency kind, int poolSize, int poolQueue) {

    static final int DEFAULT_POOL_SIZE = 16;
    static final int DEFAULT_POOL_QUEUE = 64;

    static ConcurrencySpec of(String kind, int poolSize, int poolQueue) {
        Concurrency c = kind == null || kind.isBlank() ? Concurrency.VIRTUAL : Concurrency.of(kind);
        if (c == Concurrency.FORKING) {
            throw new IllegalArgumentException("concurrency 'forking' is not available yet");
        }
        if (poolSize < 1 || poolQueue < 0) {
            throw new IllegalArgumentException("pool.size must be >= 1 and pool.queue >= 0 (got " + poolSize + ", " + poolQueue + ")");
        }
        return new ConcurrencySpec(c, poolSize, poolQueue);
    }

    ConcurrencyModel create() {
        return switch (kind) {
            case SYNC -> ConcurrencyModel.synchronous();
            case THREADING -> new ThreadPerRequest(true, false);
            case POOL -> new BoundedPool(poolSize, poolQueue, false);
            case VIRTUAL -> new VirtualThreadPerRequest(false);
            case FORKING -> throw new IllegalStateException("forking is not available yet");
        };
    }

    @Override
    public String toString() {
        return kind == Concurrency.POOL ? "pool(" + poolSize + ", queue " + poolQueue + ")" : kind.id();
    }
}
